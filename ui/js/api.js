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

/**
 * `{ storage: "memory"|"vault", storageNote, version, vault: "none"|"locked"|"unlocked",
 * vaultPath, keyringSlot, autoLockMinutes }`
 */
export const appStatus = () => invoke('app_status');

/** `{ nowMs, accounts: AccountView[] }` */
export const listAccounts = () => invoke('list_accounts');

/** `{ account, warnings }` */
export const addAccountUri = (uri) => invoke('add_account_uri', { uri });

/** `{ account, warnings }`; `input` as built by lib/add-form.js */
export const addAccountManual = (input) => invoke('add_account_manual', { input });

/** `{ code, clearsInSeconds }`: the backend has written the clipboard; null = it is not cleared. */
export const copyCode = (id) => invoke('copy_code', { id });

/** `{ label }` */
export const deleteAccount = (id) => invoke('delete_account', { id });

/** The account's new AccountView, its counter advanced. */
export const hotpNext = (id) => invoke('hotp_next', { id });

// The vault. While it is locked, the account commands reject with kind "locked".

/** `{ keyringError: string|null }`; the vault is unlocked afterwards. */
export const createVault = (password, useKeyring) => invoke('create_vault', { password, useKeyring });

/** `{}`; rejects with kind "wrong_password". */
export const unlockVault = (password) => invoke('unlock_vault', { password });

/** `{}`; rejects with kind "keyring". */
export const unlockWithKeyring = () => invoke('unlock_with_keyring');

/** `{}` */
export const lockVault = () => invoke('lock_vault');

/** `{}`; rejects with kind "wrong_password" when `current` is wrong. */
export const changePassword = (current, next) => invoke('change_password', { current, new: next });

/** `{}` */
/** Turning it off needs the vault password (the vault gets a new key); rejects with kind "password_needed" without it. */
export const setKeyringUnlock = (enabled, password = null) => invoke('set_keyring_unlock', { enabled, password });

/** `[{ id, issuer, name, deletedAt }]`: deleted accounts that can still be restored, newest first. */
export const recentlyDeleted = () => invoke('recently_deleted');

/** The restored account's AccountView (it has a new id). */
export const restoreAccount = (id) => invoke('restore_account', { id });

/** `{}`; 0 = never. */
export const setAutoLock = (minutes) => invoke('set_auto_lock', { minutes });

/** `[{ name }]`: conflicting copies of the vault left by a sync tool. */
export const listConflicts = () => invoke('list_conflicts');

/** `{ added, updated, removed }`; rejects with kind "password_needed" when the copy has another password. */
export const mergeConflict = (name, password = null) => invoke('merge_conflict', { name, password });

// The clock.

/** `{ correctionEnabled, correctionMs, measurement: Measurement|null }` */
export const clockStatus = () => invoke('clock_status');

/**
 * Measurement: `{ offsetMs, rttMs, source: "sntp"|"https-date", server, precisionMs, measuredAtMs,
 * verdict: "fine"|"at_risk"|"will_fail", description }`; offsetMs > 0: this computer is behind.
 * Takes a few seconds; rejects with kind "network".
 */
export const measureClock = () => invoke('measure_clock');

/**
 * `{ correctionMs }`, for this computer only. Turning it on measures again to confirm the last
 * figure; rejects with kind "needs_confirmation" beyond an hour (call again with `confirmed`).
 */
export const setClockCorrection = (enabled, confirmed = false) => invoke('set_clock_correction', { enabled, confirmed });

/** `{ matched, steps, seconds, counter, description }` */
export const verifyCode = (id, code, window) => invoke('verify_code', { id, code, window });

// One account's details. Recovery codes come back only through these calls, for the details
// dialog; AccountView carries just their counts.

/** `{ id, issuer, name, notes, group, kind, recoveryCodes: [{ code, used }], recoveryRemaining }` */
export const accountDetails = (id) => invoke('account_details', { id });

/** AccountDetails; `details` is `{ issuer, name, group, notes }`. */
export const updateAccountDetails = (id, details) => invoke('update_account_details', { id, details });

/** AccountDetails; the codes found in `text` replace the kept ones (used marks survive). */
export const setRecoveryCodes = (id, text) => invoke('set_recovery_codes', { id, text });

/** AccountDetails */
export const markRecoveryCode = (id, index, used) => invoke('mark_recovery_code', { id, index, used });

/** AccountDetails; the code is on the clipboard and marked used. */
export const copyRecoveryCode = (id, index) => invoke('copy_recovery_code', { id, index });

/** `{ previous, current, next }`; previous and next are null for HOTP. */
export const neighbourCodes = (id) => invoke('neighbour_codes', { id });

// Backups. Exports are written by the backend after it asks where with a save dialog of its own.

/** `{ reminder: string|null, lastBackupMs: number|null, reminderDays }` */
export const backupStatus = () => invoke('backup_status');

/** BackupStatus; 0 = never remind. */
export const setBackupReminder = (days) => invoke('set_backup_reminder', { days });

/**
 * `{ path, written, leftOut: [{ label, reason }] }`, or null when the save dialog was cancelled.
 * `request` is `{ format, password, acceptPlain }` as built by lib/backup-form.js.
 */
export const exportBackup = (request) => invoke('export_backup', { request });

/** `{ clearSeconds, notify }`: when copied codes leave the clipboard (0 = never), and whether a
 * desktop notification confirms each copy. */
export const copySettings = () => invoke('copy_settings');

/** CopySettings as saved. */
export const setCopySettings = (clearSeconds, notify) => invoke('set_copy_settings', { clearSeconds, notify });

/** AccountView; a pinned account leads the list and appears in the tray menu. */
export const setPinned = (id, pinned) => invoke('set_pinned', { id, pinned });

/** `{}`; closing the window then keeps Tessera running in the tray. */
export const setCloseToTray = (enabled) => invoke('set_close_to_tray', { enabled });

/** Calls `callback` when the backend locks the vault by itself (from the tray). */
export function onLocked(callback) {
  const listen = globalThis.__TAURI__?.event?.listen;
  if (typeof listen === 'function') listen('vault-locked', () => callback());
}

// Adding in bulk: QR codes and backups go to a review first (secrets stay in the backend).

/**
 * ReviewView: `{ source, items: [{ index, issuer, name, kind, digits, duplicateOf }],
 * unusable: [{ label, reason }], transfers: [{ of, missing }] }`. Rejects with kind
 * "not_found" when no account was found, "capture" when the screen cannot be read.
 */
export const scanScreen = () => invoke('scan_screen');

/** ReviewView; rejects with kind "not_found" when the clipboard holds no image. */
export const scanClipboardImage = () => invoke('scan_clipboard_image');

/** ReviewView, or null when the file dialog was cancelled. */
export const scanImageFile = () => invoke('scan_image_file');

/**
 * null (cancelled), `{ step: "review", review }`, or `{ step: "passwordNeeded", format, file }`
 * for an encrypted backup (then call unlockBackup).
 */
export const importBackupFile = () => invoke('import_backup_file');

/** ReviewView; rejects with kind "wrong_password" and keeps the file for another try. */
export const unlockBackup = (password) => invoke('unlock_backup', { password });

/** `{ added, imageFile }`: imageFile names the screenshot the accounts came from, if any. */
export const confirmReview = (chosen) => invoke('confirm_review', { chosen });

/** Forgets the review and any backup waiting for a password. */
export const discardReview = () => invoke('discard_review');

/** The deleted file's name. */
export const deleteScannedImage = () => invoke('delete_scanned_image');

/** Calls `callback(payload)` for each backend event named `name`. */
export function onEvent(name, callback) {
  const listen = globalThis.__TAURI__?.event?.listen;
  if (typeof listen === 'function') listen(name, (event) => callback(event.payload));
}

/** `{ codes: [{ part, of, svg }], leftOut: [{ label, reason }] }`: transfer QR codes, as SVG. */
export const transferCodes = () => invoke('transfer_codes');

/** The account's QR code (its otpauth link) as SVG text. */
export const accountQr = (id) => invoke('account_qr', { id });

// The window and its system-wide shortcut.

/** `{}`; the window steps back (after a quick pick). */
export const hideWindow = () => invoke('hide_window');

/** The quick pick shortcut ("Ctrl+Shift+Space"), or null when off or taken by another app. */
export const quickPickShortcut = () => invoke('quick_pick_shortcut');

/** The shortcut now in use; null turns quick pick off. Rejects when another app holds it. */
export const setQuickPickShortcut = (shortcut) => invoke('set_quick_pick_shortcut', { shortcut });

/** `{}`; moves an account `offset` places in the user's own order (negative: up). */
export const moveAccount = (id, offset) => invoke('move_account', { id, offset });

/** `{}`; "manual" (the user's own order) or "alphabetical". */
export const setOrder = (order) => invoke('set_order', { order });

/** `{}`; compact rows (one line per account) or the comfortable default. */
export const setCompact = (enabled) => invoke('set_compact', { enabled });
