import { AppShell, Burger, Button, Group, NavLink, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { session } from '../api/session';
import type { Me } from './auth';
import { LanguagePicker } from './LanguagePicker';
import type { Portal } from './portal';
import { Center, Loader } from '@mantine/core';

/** The frame of every page: header with who is signed in, the role's navigation, the page. */
export function Layout({ me, portal }: { me: Me; portal: Portal | undefined }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const queryClient = useQueryClient();
  const location = useLocation();

  // The one entry the page belongs to: the longest that leads to it (New order, not Orders, on /orders/new).
  const navPages = portal?.pages.filter((page) => page.nav !== false) ?? [];
  const activeTo = navPages
    .map((page) => `${portal!.root}/${page.path}`)
    .filter((to) => location.pathname === to || location.pathname.startsWith(`${to}/`))
    .sort((a, b) => b.length - a.length)[0];

  const signOut = () => {
    session.signOut();
    queryClient.clear();
  };

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('app.menu')} />
            <Title order={2} size="h4">
              {t('app.name')}{' '}
              <Text span c="dimmed" fw={400}>
                {t('app.console')}
              </Text>
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="md" data-testid="signed-in-as">
              {t('signedInAs', { name: me.name, role: t(`roles.${me.role}`) })}
            </Text>
            <Button variant="default" size="xs" onClick={signOut}>
              {t('signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" component="nav" aria-label={t('app.menu')}>
        {navPages.map((page) => {
          const to = `${portal!.root}/${page.path}`;
          return (
            <NavLink
              key={page.path}
              component={RouterLink}
              to={to}
              // The router would also mark a page current when another page's path starts with its
              // own (orders beside orders/new); which page is current is decided by activeTo alone.
              end
              label={t(page.label)}
              active={to === activeTo}
              onClick={close}
            />
          );
        })}
        <div style={{ marginTop: 'auto' }}>
          <VisuallyHidden>{t('signedInAs', { name: me.name, role: t(`roles.${me.role}`) })}</VisuallyHidden>
          <LanguagePicker />
        </div>
      </AppShell.Navbar>
      <AppShell.Main id="main">
        <Suspense
          fallback={
            <Center py="xl">
              <Loader size="sm" aria-label={t('state.loading')} />
            </Center>
          }
        >
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
