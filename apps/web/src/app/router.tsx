import { createBrowserRouter, Navigate } from 'react-router';
import { AcceptInvitationPage } from '../features/auth/components/AcceptInvitationPage';
import { AuthLayout } from '../features/auth/components/AuthLayout';
import { ForgotPasswordPage } from '../features/auth/components/ForgotPasswordPage';
import { LoginPage } from '../features/auth/components/LoginPage';
import { ResetPasswordPage } from '../features/auth/components/ResetPasswordPage';
import { ContactsPage } from '../features/contacts/components/ContactsPage';
import { HomePage } from '../features/home/components/HomePage';
import { InboxPage } from '../features/inbox/components/InboxPage';
import { SessionsPage } from '../features/sessions/components/SessionsPage';
import { AppLayout } from './AppLayout';
import { NotFoundPage } from './NotFoundPage';
import { RequireAuth } from './RequireAuth';

export function createAppRouter() {
  return createBrowserRouter([
    {
      element: <AuthLayout />,
      children: [
        { path: '/login', element: <LoginPage /> },
        { path: '/forgot-password', element: <ForgotPasswordPage /> },
        { path: '/reset-password', element: <ResetPasswordPage /> },
        { path: '/accept-invitation', element: <AcceptInvitationPage /> },
      ],
    },
    {
      element: <RequireAuth />,
      children: [
        {
          element: <AppLayout />,
          children: [
            { index: true, element: <Navigate to="/inbox" replace /> },
            { path: '/inbox', element: <InboxPage /> },
            { path: '/inbox/:conversationId', element: <InboxPage /> },
            { path: '/contacts', element: <ContactsPage /> },
            { path: '/contacts/:contactId', element: <ContactsPage /> },
            { path: '/account', element: <HomePage /> },
            { path: '/account/sessions', element: <SessionsPage /> },
          ],
        },
      ],
    },
    { path: '*', element: <NotFoundPage /> },
  ]);
}
