import { Button, Container, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { sellersApi } from '../api/client';
import { session } from '../api/session';
import { toApiProblem } from '../api/problem';
import { LanguagePicker } from './LanguagePicker';

/** Sign-in: the person pastes an API key; the console asks the exchange whose it is. */
export function SignIn() {
  const { t } = useTranslation();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const apiKey = key.trim();
    if (!apiKey) return setError(t('signIn.required'));
    setBusy(true);
    setError(null);
    try {
      const answer = await sellersApi.GET('/v1/me', { headers: { Authorization: `Bearer ${apiKey}` } });
      if (answer.data) session.signIn(apiKey);
    } catch (failure) {
      const problem = toApiProblem(failure).problem;
      setError(problem.status === 401 || problem.status === 403 ? t('signIn.invalid') : problem.title);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Container size={460} py={64} component="main" id="main">
      <Paper withBorder shadow="sm" p="xl" radius="md">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h2">
              {t('app.name')} · {t('signIn.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('signIn.intro')}
            </Text>
            <PasswordInput
              label={t('signIn.apiKey')}
              value={key}
              onChange={(event) => setKey(event.currentTarget.value)}
              error={error}
              autoComplete="off"
              spellCheck={false}
              data-autofocus
            />
            <Button type="submit" loading={busy}>
              {t('signIn.submit')}
            </Button>
            <LanguagePicker />
          </Stack>
        </form>
      </Paper>
    </Container>
  );
}
