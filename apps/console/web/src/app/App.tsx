import { Center, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, RouterProvider, type RouteObject } from 'react-router';
import { useMemo } from 'react';
import { ApiProblem } from '../api/problem';
import { useApiKey, useMe, type Role } from './auth';
import { Layout } from './Layout';
import { SignIn } from './SignIn';
import type { Portal } from './portal';
import { sellerPortal } from '../pages/seller/portal';
import { buyerPortal } from '../pages/buyer/portal';
import { auditorPortal } from '../pages/auditor/portal';
import { operatorPortal } from '../pages/operator/portal';
import { ProblemAlert } from '../components/ProblemAlert';
import { session } from '../api/session';

const PORTALS: Partial<Record<Role, Portal>> = {
  seller: sellerPortal,
  buyer: buyerPortal,
  auditor: auditorPortal,
  operator: operatorPortal,
};

/** Signed out: the sign-in page. Signed in: the pages of the key's role, and nothing else. */
export function App() {
  const { t } = useTranslation();
  const key = useApiKey();
  const me = useMe();
  const router = useMemo(() => {
    if (!me.data) return null;
    const portal = PORTALS[me.data.role];
    const routes: RouteObject[] = [
      {
        path: '/',
        element: <Layout me={me.data} portal={portal} />,
        children: [
          {
            index: true,
            element: portal ? <Navigate to={portal.root} replace /> : <NotInConsole role={me.data.role} />,
          },
          ...(portal
            ? [
                {
                  path: portal.root.slice(1),
                  children: [
                    { index: true, element: <Navigate to={portal.pages[0]!.path} replace /> },
                    ...portal.pages.map((page) => ({ path: page.path, Component: page.component })),
                  ],
                },
              ]
            : []),
          { path: '*', element: <NotFound /> },
        ],
      },
    ];
    return createBrowserRouter(routes);
  }, [me.data]);

  if (key === null) return <SignIn />;
  if (me.isPending)
    return (
      <Center h="100vh">
        <Loader aria-label={t('state.loading')} />
      </Center>
    );
  if (me.isError) {
    if (me.error instanceof ApiProblem && [401, 403].includes(me.error.problem.status)) {
      session.signOut();
      return <SignIn />;
    }
    return (
      <Center h="100vh" p="md">
        <ProblemAlert error={me.error} />
      </Center>
    );
  }
  return router ? <RouterProvider router={router} /> : null;
}

function NotInConsole({ role }: { role: Role }) {
  const { t } = useTranslation();
  return <Text>{t('roleNotInPart', { role: t(`roles.${role}`) })}</Text>;
}

function NotFound() {
  const { t } = useTranslation();
  return <Text>{t('state.notFound')}</Text>;
}
