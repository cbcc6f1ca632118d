// Lets a child process of a test run the TypeScript sources (as Jest does with @swc/jest):
// `node --import ./libs/returns/src/testing/register-ts.mjs script.ts`.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import swc from '@swc/core';

const root = new URL('../../../../', import.meta.url);
const swcOptions = JSON.parse(readFileSync(new URL('.swcrc.jest.json', root), 'utf8'));

export async function resolve(specifier, context, next) {
  const lib = /^#lx\/([^/]+)$/.exec(specifier);
  if (lib) return { url: new URL(`libs/${lib[1]}/src/index.ts`, root).href, shortCircuit: true };
  if (specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const candidate = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const source = readFileSync(fileURLToPath(url), 'utf8');
  const { code } = swc.transformSync(source, { ...swcOptions, swcrc: false, filename: fileURLToPath(url) });
  return { format: 'module', source: code, shortCircuit: true };
}

export const rootUrl = pathToFileURL(fileURLToPath(root)).href;
