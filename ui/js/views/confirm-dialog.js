// Asks before deleting: names the account and says what is lost. Cancel has the focus, so
// Enter or Escape on a reflex never deletes.

export function createConfirmDialog(dialog) {
  const text = dialog.querySelector('#confirm-text');
  const cancel = dialog.querySelector('#confirm-cancel');
  const confirm = dialog.querySelector('#confirm-delete');
  let settle = null;

  function finish(answer) {
    const done = settle;
    settle = null;
    if (dialog.open) dialog.close();
    done?.(answer);
  }

  cancel.addEventListener('click', () => finish(false));
  confirm.addEventListener('click', () => finish(true));
  dialog.addEventListener('close', () => {
    if (!dialog.open) finish(false);
  });
  // A click on the backdrop lands on the dialog element itself.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) finish(false);
  });

  return {
    /** Resolves to true when the user chose Delete. */
    ask({ label, service }) {
      finish(false);
      const name = document.createElement('span');
      name.className = 'confirm-label';
      name.textContent = label;
      text.replaceChildren(
        'Delete ',
        name,
        `? You will not be able to sign in to ${service} with Tessera unless you have another way in, ` +
          'such as backup codes or another authenticator app.',
      );
      dialog.showModal();
      cancel.focus();
      return new Promise((resolve) => {
        settle = resolve;
      });
    },
  };
}
