import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { toApiProblem } from '../api/problem';

/** A refused request as the exchange explained it: title, detail, and each named field's messages. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  const problem = toApiProblem(error).problem;
  return (
    <Alert color="red" title={title ?? problem.title} role="alert">
      {title && <div>{problem.title}</div>}
      {problem.detail && <div>{problem.detail}</div>}
      {problem.errors && problem.errors.length > 0 && (
        <List size="sm" mt="xs">
          {problem.errors.map((error) => (
            <List.Item key={error.field}>
              <strong>{error.field}</strong>: {error.messages.join('; ')}
            </List.Item>
          ))}
        </List>
      )}
      {!problem.detail && !problem.errors && problem.status === 0 && <div>{t('state.error')}</div>}
    </Alert>
  );
}
