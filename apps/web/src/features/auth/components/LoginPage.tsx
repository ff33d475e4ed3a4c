import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { safeNext } from '../../../lib/safeNext';
import { useLogin } from '../hooks/useLogin';
import { useMe } from '../hooks/useMe';

export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const me = useMe();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  if (me.data) return <Navigate to={next} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email: email.trim(), password }, { onSuccess: () => navigate(next, { replace: true }) });
  };

  const badCredentials = login.error instanceof ApiError && login.error.status === 401;

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} data-testid="login-form">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          Handoff
        </div>
        <p className="muted">Sign in to manage your payment and onboarding flows.</p>
        <label className="field">
          <span className="field-label">Email</span>
          <input
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="login-email"
          />
        </label>
        <label className="field">
          <span className="field-label">Password</span>
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
          />
        </label>
        {login.isError &&
          (badCredentials ? (
            <div className="banner banner-error" role="alert" data-testid="login-error">
              That email and password don’t match an account.
            </div>
          ) : (
            <ErrorBanner error={login.error} />
          ))}
        <button type="submit" className="btn btn-primary btn-block" disabled={login.isPending} data-testid="login-submit">
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
