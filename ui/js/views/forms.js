// Small pieces shared by the vault screens and dialogs: a busy state for buttons, inline
// errors tied to a field, and the new-password pair (strength meter, confirmation check).

import { checkNewPassword, passwordStrength } from '../lib/password-strength.js';

/**
 * Puts `button` in a busy state (disabled, spinner, `busyLabel` as its text) or back. The label
 * lives in the button's `.button-label` child when it has one, else in the button itself.
 */
export function setBusy(button, busy, busyLabel) {
  const target = button.querySelector('.button-label') ?? button;
  if (busy) {
    if (button.dataset.idleLabel === undefined) button.dataset.idleLabel = target.textContent;
    if (busyLabel) target.textContent = busyLabel;
    button.setAttribute('aria-busy', 'true');
    button.disabled = true;
  } else {
    if (button.dataset.idleLabel !== undefined) target.textContent = button.dataset.idleLabel;
    delete button.dataset.idleLabel;
    button.removeAttribute('aria-busy');
    button.disabled = false;
  }
}

/** Shows `message` in `box` and marks `field` (if any) invalid, pointing at the message. */
export function showFieldError(box, message, field) {
  box.textContent = message;
  box.hidden = false;
  if (field) {
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-errormessage', box.id);
  }
}

/** Hides `box` and clears the invalid marks of `fields`. */
export function clearFieldError(box, ...fields) {
  box.hidden = true;
  box.textContent = '';
  for (const field of fields) {
    field?.removeAttribute('aria-invalid');
    field?.removeAttribute('aria-errormessage');
  }
}

const LEVEL_WORDS = { weak: 'Weak.', fair: 'Fair.', good: 'Good.', strong: 'Strong.' };

/**
 * Wires a new password and its confirmation to a strength meter and a match hint, and enables
 * `submit` only when the pair is acceptable (and `ready()` agrees). Returns `{ update, valid }`.
 */
export function bindNewPassword({ password, confirm, strength, hint, submit, ready = () => true }) {
  const level = strength.querySelector('.strength-level');
  const advice = strength.querySelector('.strength-advice');

  function update() {
    const rating = passwordStrength(password.value);
    strength.dataset.level = password.value ? rating.level : 'empty';
    level.textContent = password.value ? LEVEL_WORDS[rating.level] : '';
    advice.textContent = rating.advice;

    const check = checkNewPassword(password.value, confirm.value);
    if (check.ok) {
      hint.textContent = '✓ The passwords match.';
      hint.dataset.state = 'ok';
      confirm.removeAttribute('aria-invalid');
    } else if (check.field === 'confirm' && check.reason && !password.value.startsWith(confirm.value)) {
      // A confirmation that is still being typed (a prefix of the password) is not a mismatch yet.
      hint.textContent = check.reason;
      hint.dataset.state = 'bad';
      confirm.setAttribute('aria-invalid', 'true');
    } else {
      hint.textContent = '';
      delete hint.dataset.state;
      confirm.removeAttribute('aria-invalid');
    }
    if (submit.getAttribute('aria-busy') !== 'true') submit.disabled = !(check.ok && ready());
    return check.ok;
  }

  password.addEventListener('input', update);
  confirm.addEventListener('input', update);
  update();
  return {
    update,
    valid: () => checkNewPassword(password.value, confirm.value).ok && ready(),
  };
}
