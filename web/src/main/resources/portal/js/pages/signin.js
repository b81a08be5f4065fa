// Sign in, and registration against a site's code (the account then waits for an administrator).
import { post } from '../api.js';
import { h, replace, field, formValues } from '../dom.js';
import { busy, errorBox, showError } from '../ui.js';

export async function render(ctx) {
  document.title = ctx.view === 'register' ? 'Register · Arca' : 'Sign in · Arca';
  replace(ctx.main, h('div', { class: 'auth-layout' }, ctx.view === 'register' ? registerCard() : signInCard(ctx)));
}

function signInCard(ctx) {
  const error = errorBox('signin-error');
  const submit = h('button', { type: 'submit', class: 'primary wide', 'data-testid': 'signin-submit' }, 'Sign in');
  const form = h('form', { class: 'card auth-card', 'data-testid': 'signin-form' },
    h('h1', {}, 'Sign in to Arca'),
    h('p', { class: 'muted' }, 'Use the login and password of your Arca account.'),
    field('Login', { name: 'login', id: 'signin-login', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' }),
    field('Password', { name: 'password', id: 'signin-password', type: 'password', autocomplete: 'current-password', required: true }),
    error,
    submit,
    h('p', { class: 'auth-switch' }, 'No account yet? ', h('a', { href: '#/register', 'data-testid': 'to-register' }, 'Register with your site code')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, null);
    const { login, password } = formValues(form);
    try {
      const user = await busy(submit, () => post('/auth/login', { login, password }));
      ctx.signedIn(user);
    } catch (e) {
      showError(error, e);
      form.elements.namedItem('password').select();
    }
  });
  return form;
}

function registerCard() {
  const error = errorBox('register-error');
  const submit = h('button', { type: 'submit', class: 'primary wide', 'data-testid': 'register-submit' }, 'Register');
  const card = h('div', { class: 'card auth-card' });
  const form = h('form', { 'data-testid': 'register-form' },
    h('h1', {}, 'Register'),
    h('p', { class: 'muted' }, 'Your site’s data manager gives you a site code. An administrator approves each new account before it can sign in.'),
    field('Login', { name: 'login', id: 'register-login', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' }),
    field('Display name', { name: 'displayName', id: 'register-name', autocomplete: 'name' }),
    field('Email', { name: 'email', id: 'register-email', type: 'email', autocomplete: 'email', required: true }),
    field('Password', { name: 'password', id: 'register-password', type: 'password', autocomplete: 'new-password', required: true }),
    field('Site code', { name: 'siteCode', id: 'register-site-code', required: true, autocomplete: 'off', spellcheck: 'false' }),
    error,
    submit,
    h('p', { class: 'auth-switch' }, 'Already registered? ', h('a', { href: '#/signin' }, 'Sign in')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, null);
    const values = formValues(form);
    try {
      const user = await busy(submit, () => post('/register', values));
      replace(card,
        h('h1', {}, 'Waiting for approval'),
        h('p', { 'data-testid': 'register-pending', role: 'status' },
          `Thank you. The account “${user.login}” is registered and waiting for an administrator to approve it. `
          + 'You can sign in once it is approved.'),
        h('p', {}, h('a', { href: '#/signin' }, 'Back to sign in')));
      card.querySelector('h1').setAttribute('tabindex', '-1');
      card.querySelector('h1').focus();
    } catch (e) {
      showError(error, e);
    }
  });
  card.append(form);
  return card;
}
