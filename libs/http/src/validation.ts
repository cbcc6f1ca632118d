import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { InputSafetyPipe } from './input-safety.pipe.js';
import { ProblemException, type FieldError } from './problem-details.js';

/** Flattens nested class-validator errors into `a.b.0.c`-style field names. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

export function validationProblem(errors: FieldError[]): ProblemException {
  return new ProblemException(
    400,
    'validation-failed',
    'The request is not valid',
    errors.map((e) => `${e.field}: ${e.messages.join(', ')}`).join('; '),
    { errors },
  );
}

/** Unknown properties are refused, types are converted, and every field error is named. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationProblem(fieldErrors(errors)),
  });
}

const inputSafety = new InputSafetyPipe();
const validation = createValidationPipe();

/**
 * What the global pipes do to a `@Body()` or `@Query()` parameter, for a route that reads its input
 * itself (one that takes JSON or a file on the same path): the safety check, then validation into
 * `metatype`, refusing with the same 400 problem.
 */
export async function validatedInput<T extends object>(
  metatype: new () => T,
  value: unknown,
  type: 'body' | 'query',
): Promise<T> {
  const metadata = { type, metatype };
  return (await validation.transform(inputSafety.transform(value ?? {}, metadata), metadata)) as T;
}
