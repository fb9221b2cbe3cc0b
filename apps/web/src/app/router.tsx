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
import { ApiKeysSettings } from '../features/settings/components/ApiKeysSettings';
import { AuditLogSettings } from '../features/settings/components/AuditLogSettings';
import { CannedSettings } from '../features/settings/components/CannedSettings';
import { LabelsSettings } from '../features/settings/components/LabelsSettings';
import { MembersSettings } from '../features/settings/components/MembersSettings';
import { NumbersSettings } from '../features/settings/components/NumbersSettings';
import { SettingsLayout } from '../features/settings/components/SettingsLayout';
import { TeamsSettings } from '../features/settings/components/TeamsSettings';
import { TemplatesSettings } from '../features/settings/components/TemplatesSettings';
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
            {
              path: '/settings',
              element: <SettingsLayout />,
              children: [
                { path: 'numbers', element: <NumbersSettings /> },
                { path: 'templates', element: <TemplatesSettings /> },
                { path: 'members', element: <MembersSettings /> },
                { path: 'teams', element: <TeamsSettings /> },
                { path: 'labels', element: <LabelsSettings /> },
                { path: 'canned-responses', element: <CannedSettings /> },
                { path: 'api-keys', element: <ApiKeysSettings /> },
                { path: 'audit-log', element: <AuditLogSettings /> },
              ],
            },
            { path: '/account', element: <HomePage /> },
            { path: '/account/sessions', element: <SessionsPage /> },
          ],
        },
      ],
    },
    { path: '*', element: <NotFoundPage /> },
  ]);
}
