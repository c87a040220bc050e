// The add-account dialog: a manual form (service, account, key, advanced settings) and a
// pasted otpauth:// link. The backend judges the key; its message is shown next to the form
// that was sent.

import { checkManual, checkUri } from '../lib/add-form.js';

export function createAddDialog(dialog, { addManual, addUri, onAdded, onFailure = () => false }) {
  const $ = (selector) => dialog.querySelector(selector);
  const manualForm = $('#add-manual-form');
  const uriForm = $('#add-uri-form');
  const error = $('#add-error');
  const kind = $('#add-kind');
  const advanced = $('details.advanced');
  const fields = {
    issuer: $('#add-issuer'),
    name: $('#add-name'),
    secret: $('#add-secret'),
    kind,
    algorithm: $('#add-algorithm'),
    digits: $('#add-digits'),
    period: $('#add-period'),
    counter: $('#add-counter'),
  };
  const uri = $('#add-uri');
  const submits = [$('#add-manual-submit'), $('#add-uri-submit')];
  let busy = false;

  function showError(message, form, field) {
    form.after(error);
    error.textContent = message;
    error.hidden = false;
    error.scrollIntoView({ block: 'nearest' });
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.setAttribute('aria-errormessage', error.id);
      if (field.closest('details')) advanced.open = true;
      field.focus();
    }
  }

  function clearError() {
    error.hidden = true;
    error.textContent = '';
    for (const field of dialog.querySelectorAll('[aria-invalid]')) {
      field.removeAttribute('aria-invalid');
      field.removeAttribute('aria-errormessage');
    }
  }

  // Fields that the chosen type ignores stay editable (nothing typed is lost when switching
  // back) but step back visually.
  function showKindFields() {
    for (const field of dialog.querySelectorAll('[data-for-kinds]')) {
      field.classList.toggle('is-unused', !field.dataset.forKinds.split(' ').includes(kind.value));
    }
  }

  function reset() {
    manualForm.reset();
    uriForm.reset();
    advanced.open = false;
    clearError();
    showKindFields();
  }

  async function send(form, request) {
    if (busy) return;
    busy = true;
    for (const button of submits) button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const added = await request();
      dialog.close();
      onAdded(added);
    } catch (failure) {
      if (onFailure(failure)) return;
      showError(failure.message, form);
    } finally {
      busy = false;
      for (const button of submits) button.disabled = false;
      form.removeAttribute('aria-busy');
    }
  }

  manualForm.addEventListener('submit', (event) => {
    event.preventDefault();
    clearError();
    const values = Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, field.value]));
    const checked = checkManual(values);
    if (checked.error) {
      showError(checked.error, manualForm, fields[checked.field]);
      return;
    }
    send(manualForm, () => addManual(checked.input));
  });

  uriForm.addEventListener('submit', (event) => {
    event.preventDefault();
    clearError();
    const checked = checkUri(uri.value);
    if (checked.error) {
      showError(checked.error, uriForm, uri);
      return;
    }
    send(uriForm, () => addUri(checked.uri));
  });

  // Enter in the link box sends it; Shift+Enter still breaks the line.
  uri.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      uriForm.requestSubmit();
    }
  });

  dialog.addEventListener('input', () => {
    if (!error.hidden) clearError();
  });
  kind.addEventListener('change', showKindFields);
  $('[data-close]').addEventListener('click', () => dialog.close());
  // Keys and links are secrets: they do not stay in the page once the dialog is gone. The
  // close event is queued, so it can arrive after the dialog was opened again; clearing
  // then would wipe what the user is typing.
  dialog.addEventListener('close', () => {
    if (!dialog.open) reset();
  });

  return {
    open() {
      if (dialog.open) return;
      reset();
      dialog.showModal();
      // The QR and backup buttons sit above the form: the dialog opens scrolled to them.
      fields.issuer.focus({ preventScroll: true });
      $('.dialog-body').scrollTop = 0;
    },
    close() {
      if (dialog.open) dialog.close();
    },
  };
}
