import { register } from 'node:module';
import 'reflect-metadata';

register('./ts-loader.mjs', import.meta.url);
