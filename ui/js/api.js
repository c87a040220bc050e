// The one door to the backend. Every command the UI uses is named here, with its arguments;
// failures always reject with `{ kind, message }`, whatever shape the shell produced, so the
// views can show `message` without checking.

function failure(error) {
  if (error && typeof error === 'object' && typeof error.message === 'string') {
    return Object.freeze({ kind: String(error.kind ?? 'error'), message: error.message });
  }
  if (typeof error === 'string' && error) {
    return Object.freeze({ kind: 'error', message: error });
  }
  return Object.freeze({ kind: 'error', message: 'Something went wrong in Tessera. Please try again.' });
}

async function invoke(command, args) {
  const invokeFn = globalThis.__TAURI__?.core?.invoke;
  if (typeof invokeFn !== 'function') {
    throw failure({ kind: 'unavailable', message: 'Tessera’s backend is not available in this window.' });
  }
  try {
    return await invokeFn(command, args);
  } catch (error) {
    throw failure(error);
  }
}

/** `{ storage: "memory"|"vault", storageNote, version }` */
export const appStatus = () => invoke('app_status');

/** `{ nowMs, accounts: AccountView[] }` */
export const listAccounts = () => invoke('list_accounts');

/** `{ account, warnings }` */
export const addAccountUri = (uri) => invoke('add_account_uri', { uri });

/** `{ account, warnings }`; `input` as built by lib/add-form.js */
export const addAccountManual = (input) => invoke('add_account_manual', { input });

/** `{ code }`: the backend has written the clipboard. */
export const copyCode = (id) => invoke('copy_code', { id });

/** `{ label }` */
export const deleteAccount = (id) => invoke('delete_account', { id });

/** The account's new AccountView, its counter advanced. */
export const hotpNext = (id) => invoke('hotp_next', { id });
