// A fake backend for previewing the UI in a browser: defines window.__TAURI__.core.invoke
// with the same commands, shapes and errors as the app, and fake codes derived from a counter
// (no cryptography: these codes only have to look and change like real ones).
//
// Query flags:
//   accounts=0        start with no accounts (empty state)
//   at=SECONDS        pretend every 30 s step is SECONDS in at load (at=26: last-seconds state)
//   skew=MS           backend clock ahead of the page's clock by MS
//   delay=MS          latency of every command (key derivation and clock checks take longer)
//   storage=memory    report the in-memory store instead of the encrypted vault
//   vault=STATE       none (first run: create screen), locked (unlock screen), unlocked (default)
//                     the preview vault's password is "correct horse"
//   keyring=1|broken  the vault has a keyring slot; `broken`: the OS keyring fails everywhere
//   autolock=MIN      auto-lock minutes reported by app_status (default 5; 0 = never)
//   conflicts=N       sync conflict copies (0-2); the first one has another password: "old password"
//   clock=VERDICT     start with a measurement: fine, at_risk or will_fail (default: none)
//   offset=MS         what measure_clock finds (default 37500: this computer 37.5 s behind)
//   netfail=1         measure_clock fails as if offline
//   fail=COMMAND      make that command fail
//   scenario=NAME     act after the first render: add, add-advanced, add-error, uri-error,
//                     delete, copied, select, hotp, create-weak, create-strong, unlock-error,
//                     lock, settings, settings-error, settings-conflict, clock, clock-measure,
//                     verify, verify-match, verify-nomatch, verify-hotp, settings-keyring,
//                     details, details-empty, backup, backup-plain
//   backedup=1        the last backup was three days ago (no reminder banner)
//   density=compact   compact rows
(() => {
  'use strict';
  const params = new URLSearchParams(location.search);
  const delay = Number(params.get('delay') ?? 60);
  const skew = Number(params.get('skew') ?? 0);
  const at = params.get('at');
  const failing = params.get('fail');
  const start = Date.now();
  const shift = at === null ? 0 : Number(at) * 1000 - (start % 30_000);
  const realNow = () => Date.now() + skew + shift;
  const clockState = { correctionEnabled: false, measurement: null };
  const now = () => realNow() + (clockState.correctionEnabled && clockState.measurement ? clockState.measurement.offsetMs : 0);

  const STEAM = '23456789BCDFGHJKMNPQRTVWXY';
  const hash = (text) => {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    return h;
  };
  const fakeCode = (seed, counter, digits, kind) => {
    let h = hash(`${seed}:${counter}`);
    if (kind === 'steam') {
      let code = '';
      for (let i = 0; i < 5; i++) {
        code += STEAM[h % STEAM.length];
        h = Math.floor(h / STEAM.length) || hash(code);
      }
      return code;
    }
    const big = BigInt(h) * 4294967296n + BigInt(hash(`${h}`));
    return (big % 10n ** BigInt(digits)).toString().padStart(digits, '0');
  };

  let nextId = 1;
  const makeAccount = (issuer, name, kind = 'totp', digits = 6, period = 30, counter = 0) => ({
    id: `acc-${String(nextId++).padStart(4, '0')}-${hash(issuer + name).toString(16)}`,
    issuer,
    name,
    kind,
    digits: kind === 'steam' ? 5 : digits,
    period: kind === 'hotp' ? null : period,
    counter: kind === 'hotp' ? counter : null,
    seed: `${issuer}/${name}`,
    notes: '',
    group: '',
    recoveryCodes: [],
  });

  const accounts =
    params.get('accounts') === '0'
      ? []
      : [
          makeAccount('MyKerio', 'jane@example.com'),
          makeAccount('Kaspersky Business Hub', 'admin@northwind.example'),
          makeAccount('MyGlue', 'j.doe', 'totp', 8),
          makeAccount('Kayako', 'support-team@northwind.example', 'hotp', 6, 30, 12),
          makeAccount('Steam', 'jane_plays', 'steam'),
          makeAccount('GitHub', 'octo-jane', 'totp', 6, 60),
          makeAccount('Northwind Traders Customer Portal', 'a.very.long.address@northwind-traders.example'),
          makeAccount('', 'backup@example.com'),
        ];
  if (accounts.length) {
    accounts[0].recoveryCodes = ['8f3k-2m9x', '7hq1-4zzp', '0aa0-bb11', 'x9wq-66tr', 'mm2p-k1e8', 'qq0z-pl4n', 'r7t2-w8v1', 'c3d4-e5f6'].map(
      (code, i) => ({ code, used: i < 3 }),
    );
    accounts[0].notes = 'Paper copy in the office safe.';
    accounts[0].group = 'Work';
    accounts[1].group = 'Work';
    accounts[3].group = 'Clients';
    accounts[4].group = 'Home';
    accounts[0].pinned = true;
    accounts[2].recoveryCodes = [{ code: '1234 5678', used: true }, { code: '9012 3456', used: false }];
  }

  const vault = {
    state: ['none', 'locked', 'unlocked'].includes(params.get('vault')) ? params.get('vault') : 'unlocked',
    password: 'correct horse',
    keyringSlot: params.has('keyring'),
    keyringBroken: params.get('keyring') === 'broken',
    autoLockMinutes: Number(params.get('autolock') ?? 5),
    path: '/home/jane/.local/share/tessera/vault.tessera',
  };
  if (vault.state === 'none') accounts.length = 0;
  const KEYRING_DOWN = 'OS keyring unavailable: org.freedesktop.secrets was not provided by any .service files';
  const deleted = [
    { id: '6f2d8c1a-3b4e-4f5a-9c7d-1e2f3a4b5c6d', issuer: 'Kayako', name: 'support@example.com', deletedAt: Math.floor(Date.now() / 1000) - 3 * 86400 },
  ].slice(0, Number(params.get('deleted') ?? 1));
  const conflictNames = [
    { name: 'vault.sync-conflict-20240611-101500-QKX3RMB.tessera', password: 'old password', adds: 2 },
    { name: 'vault (Jane’s conflicted copy 2024-06-12).tessera', password: null, adds: 1 },
  ].slice(0, Number(params.get('conflicts') ?? 0));

  const measurementFor = (offsetMs, agoMs = 0) => {
    const abs = Math.abs(offsetMs);
    const verdict = abs <= 10_000 ? 'fine' : abs <= 45_000 ? 'at_risk' : 'will_fail';
    const seconds = (abs / 1000).toFixed(1);
    const description = {
      fine: 'codes made here are accepted: the clock is within a few seconds',
      at_risk: `codes made here are ${seconds} s off: services that accept only the current step will reject them near the end of each step`,
      will_fail: `codes made here are ${seconds} s off, more than a step either way: services will reject them`,
    }[verdict];
    return {
      offsetMs, rttMs: 38.4, source: 'sntp', server: 'pool.ntp.org:123 (162.159.200.123)', precisionMs: 19.2,
      measuredAtMs: Date.now() - agoMs, verdict, description,
    };
  };
  const initialClock = { fine: 812, at_risk: 37_500, will_fail: -95_000 }[params.get('clock')];
  if (initialClock !== undefined) clockState.measurement = measurementFor(initialClock, 5 * 60_000);

  const copying = { clearSeconds: 30, notify: true };
  const quickPick = { shortcut: 'Ctrl+Shift+Space' };
  const backup = { lastMs: params.has('backedup') ? Date.now() - 3 * 86_400_000 : null, reminderDays: 30 };
  const backupStatus = () => ({
    reminder: accounts.length && backup.lastMs === null ? `Your ${accounts.length} accounts have no backup: losing this computer would lock you out` : null,
    lastBackupMs: backup.lastMs,
    reminderDays: backup.reminderDays,
  });
  const remaining = (account) => account.recoveryCodes.filter((c) => !c.used).length;
  const extras = (account) => ({
    group: account.group, hasNotes: Boolean(account.notes),
    recoveryTotal: account.recoveryCodes.length, recoveryRemaining: remaining(account), pinned: Boolean(account.pinned),
  });
  const details = (account) => ({
    id: account.id, issuer: account.issuer, name: account.name, notes: account.notes, group: account.group,
    kind: account.kind, pinned: Boolean(account.pinned), recoveryCodes: account.recoveryCodes.map((c) => ({ ...c })), recoveryRemaining: remaining(account),
  });
  const view = (account, nowMs) => {
    if (account.kind === 'hotp') {
      return {
        id: account.id, issuer: account.issuer, name: account.name, kind: 'hotp', digits: account.digits,
        period: null, counter: account.counter, code: fakeCode(account.seed, account.counter, account.digits, 'hotp'),
        nextCode: null, validFromMs: null, validUntilMs: null, ...extras(account),
      };
    }
    const stepMs = account.period * 1000;
    const step = Math.floor(nowMs / stepMs);
    return {
      id: account.id, issuer: account.issuer, name: account.name, kind: account.kind, digits: account.digits,
      period: account.period, counter: null,
      code: fakeCode(account.seed, step, account.digits, account.kind),
      nextCode: fakeCode(account.seed, step + 1, account.digits, account.kind),
      validFromMs: step * stepMs, validUntilMs: (step + 1) * stepMs, ...extras(account),
    };
  };

  const fail = (kind, message) => {
    throw { kind, message };
  };
  const find = (id) => accounts.find((account) => account.id === id) ?? fail('not_found', `no account with id ${id}`);
  const label = (a) => (a.issuer && a.name ? `${a.issuer} (${a.name})` : a.issuer || a.name || 'unnamed account');

  const parseKey = (secret) => {
    const cleaned = String(secret).replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
    if (!cleaned) fail('bad_input', 'the key is empty');
    const bad = [...cleaned].findIndex((c) => !/[A-Z2-7]/.test(c));
    if (bad >= 0) {
      fail('bad_input', `invalid character '${cleaned[bad]}' at position ${bad + 1}: a key uses only the letters A to Z and the digits 2 to 7`);
    }
    const warnings = cleaned.length < 16 ? [`This key is only ${cleaned.length * 5} bits long; check that you typed all of it.`] : [];
    return { warnings };
  };

  const enroll = ({ issuer = '', name = '', secret, kind = 'totp', digits, period, counter }) => {
    const { warnings } = parseKey(secret ?? '');
    if (!issuer.trim() && !name.trim()) fail('bad_input', 'an account needs an issuer or a name');
    if (digits != null && (digits < 6 || digits > 10)) fail('bad_input', `${digits} digits is not supported: use 6 to 10`);
    const account = makeAccount(issuer.trim(), name.trim(), kind, digits ?? 6, period ?? 30, counter ?? 0);
    accounts.push(account);
    return { account: view(account, now()), warnings };
  };

  const unlocked = () => {
    if (vault.state !== 'unlocked') fail('locked', 'the vault is locked');
  };
  const codeAt = (account, stepOffset) => {
    if (account.kind === 'hotp') return fakeCode(account.seed, account.counter + stepOffset, account.digits, 'hotp');
    const step = Math.floor(now() / (account.period * 1000)) + stepOffset;
    return fakeCode(account.seed, step, account.digits, account.kind);
  };
  // For scenarios: the code `stepOffset` steps away from now.
  window.__mockCode = (id, stepOffset) => codeAt(find(id), stepOffset);

  const vaultCommands = {
    app_status: () => ({
      ...(params.get('storage') === 'memory'
        ? {
            storage: 'memory',
            storageNote: 'Accounts are kept in memory only: they will be gone when Tessera closes.',
          }
        : { storage: 'vault', storageNote: 'Accounts are saved in your encrypted vault on this computer.' }),
      version: '0.2.0',
      vault: vault.state,
      vaultPath: vault.path,
      keyringSlot: vault.keyringSlot,
      autoLockMinutes: vault.autoLockMinutes,
      closeToTray: false,
      order: 'manual',
      compact: params.get('density') === 'compact',
    }),
    create_vault: ({ password, useKeyring }) => {
      if (vault.state !== 'none') fail('exists', `a vault already exists at ${vault.path}`);
      if (Array.from(password ?? '').length < 8) fail('bad_input', 'the password needs at least 8 characters');
      vault.password = password;
      vault.state = 'unlocked';
      let keyringError = null;
      if (useKeyring) {
        if (vault.keyringBroken) keyringError = KEYRING_DOWN;
        else vault.keyringSlot = true;
      }
      return { keyringError };
    },
    unlock_vault: ({ password }) => {
      if (vault.state === 'unlocked') return {};
      if (password !== vault.password) fail('wrong_password', 'wrong password or damaged vault file');
      vault.state = 'unlocked';
      return {};
    },
    unlock_with_keyring: () => {
      if (!vault.keyringSlot) fail('keyring', 'this vault has no keyring slot');
      if (vault.keyringBroken) fail('keyring', KEYRING_DOWN);
      vault.state = 'unlocked';
      return {};
    },
    lock_vault: () => {
      vault.state = 'locked';
      return {};
    },
    change_password: ({ current, new: next }) => {
      unlocked();
      if (current !== vault.password) fail('wrong_password', 'the current password is wrong');
      if (Array.from(next ?? '').length < 8) fail('bad_input', 'the new password needs at least 8 characters');
      vault.password = next;
      return {};
    },
    set_keyring_unlock: ({ enabled, password }) => {
      unlocked();
      if (enabled && vault.keyringBroken) fail('keyring', KEYRING_DOWN);
      if (!enabled && !password) fail('password_needed', 'enter the vault password to turn keyring unlock off');
      if (!enabled && password !== vault.password) fail('wrong_password', 'wrong password or damaged vault file');
      vault.keyringSlot = Boolean(enabled);
      return {};
    },
    recently_deleted: () => {
      unlocked();
      return deleted.map(({ id, issuer, name, deletedAt }) => ({ id, issuer, name, deletedAt }));
    },
    restore_account: ({ id }) => {
      unlocked();
      const gone = deleted.find((d) => d.id === id) ?? fail('not_found', `no account with id ${id}`);
      deleted.splice(deleted.indexOf(gone), 1);
      const account = makeAccount(gone.issuer, gone.name);
      accounts.push(account);
      return account;
    },
    set_auto_lock: ({ minutes }) => {
      unlocked();
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) fail('bad_input', `${minutes} is not a number of minutes from 0 to 1440`);
      vault.autoLockMinutes = minutes;
      return {};
    },
    list_conflicts: () => {
      unlocked();
      return conflictNames.map(({ name }) => ({ name }));
    },
    merge_conflict: ({ name, password }) => {
      unlocked();
      const copy = conflictNames.find((c) => c.name === name) ?? fail('not_found', `no conflict copy named ${name}`);
      if (copy.password && password == null) fail('password_needed', 'this copy was saved with another password');
      if (copy.password && password !== copy.password) fail('wrong_password', 'wrong password for this copy');
      for (let i = 0; i < copy.adds; i++) accounts.push(makeAccount(['Fastmail', 'Proton', 'Bitwarden'][i % 3], `merged-${i + 1}@example.com`));
      conflictNames.splice(conflictNames.indexOf(copy), 1);
      return { added: copy.adds, updated: 1, removed: 0 };
    },
    clock_status: () => ({
      correctionEnabled: clockState.correctionEnabled,
      correctionMs: clockState.correctionEnabled ? clockState.measurement?.offsetMs ?? null : null,
      measurement: clockState.measurement,
    }),
    measure_clock: () => {
      if (params.get('netfail')) fail('network', 'could not reach pool.ntp.org:123: timed out after 3 s; time.cloudflare.com (HTTPS): connection refused');
      clockState.measurement = measurementFor(Number(params.get('offset') ?? 37_500));
      return clockState.measurement;
    },
    set_clock_correction: ({ enabled }) => {
      if (enabled && !clockState.measurement) fail('bad_input', 'measure the clock first');
      clockState.correctionEnabled = Boolean(enabled);
      return { correctionMs: enabled ? clockState.measurement.offsetMs : null };
    },
    verify_code: ({ id, code, window: steps }) => {
      unlocked();
      const account = find(id);
      const wanted = String(code).replace(/\s/g, '').toUpperCase();
      for (let distance = 0; distance <= steps; distance++) {
        for (const offset of distance ? [-distance, distance] : [0]) {
          if (codeAt(account, offset) !== wanted) continue;
          if (account.kind === 'hotp') {
            const counter = account.counter + offset;
            return { matched: true, steps: offset, seconds: null, counter, description: offset ? `matches counter ${counter}, ${Math.abs(offset)} ${offset > 0 ? 'ahead of' : 'behind'} Tessera’s counter` : 'matches the current counter' };
          }
          const seconds = offset * account.period;
          const description = offset === 0
            ? 'matches the current code: the clocks agree'
            : `matches ${Math.abs(offset)} step${Math.abs(offset) === 1 ? '' : 's'} ${offset < 0 ? 'earlier' : 'later'}: that device is about ${Math.abs(seconds)} s ${offset < 0 ? 'slow' : 'fast'}`;
          return { matched: true, steps: offset, seconds, counter: null, description };
        }
      }
      return { matched: false, steps: null, seconds: null, counter: null, description: `no match within ±${steps} steps` };
    },
    copy_settings: () => (unlocked(), { ...copying }),
    set_copy_settings: ({ clearSeconds, notify }) => {
      unlocked();
      Object.assign(copying, { clearSeconds, notify });
      return { ...copying };
    },
    set_pinned: ({ id, pinned }) => {
      unlocked();
      const account = find(id);
      account.pinned = pinned;
      return view(account, now());
    },
    set_close_to_tray: () => (unlocked(), {}),
    move_account: ({ id, offset }) => {
      unlocked();
      const at = accounts.indexOf(find(id));
      const to = Math.max(0, Math.min(accounts.length - 1, at + offset));
      accounts.splice(to, 0, ...accounts.splice(at, 1));
      return {};
    },
    set_order: () => (unlocked(), {}),
    set_compact: () => (unlocked(), {}),
    quick_pick_shortcut: () => quickPick.shortcut,
    set_quick_pick_shortcut: ({ shortcut }) => {
      quickPick.shortcut = shortcut;
      return shortcut;
    },
    hide_window: () => ({}),
    backup_status: () => (unlocked(), backupStatus()),
    set_backup_reminder: ({ days }) => {
      unlocked();
      backup.reminderDays = days;
      return backupStatus();
    },
    export_backup: ({ request }) => {
      unlocked();
      if (['tessera', 'aegis'].includes(request.format) && (request.password ?? '').length < 8) {
        fail('bad_input', 'the backup password needs at least 8 characters');
      }
      backup.lastMs = Date.now();
      const leftOut = request.format === 'google'
        ? accounts.filter((a) => a.kind === 'steam' || (a.period ?? 30) !== 30).map((a) => ({ label: label(a), reason: 'Google Authenticator cannot hold this kind of account' }))
        : [];
      const ext = { tessera: 'tessera', aegis: 'json', html: 'html' }[request.format] ?? 'txt';
      return { path: `/home/jane/Documents/tessera-backup-2026-11-23.${ext}`, written: accounts.length - leftOut.length, leftOut };
    },
    account_details: ({ id }) => (unlocked(), details(find(id))),
    update_account_details: ({ id, details: input }) => {
      unlocked();
      const account = find(id);
      if (!input.issuer.trim() && !input.name.trim()) fail('bad_input', 'give the issuer or the account name, so the account can be told apart');
      Object.assign(account, { issuer: input.issuer.trim(), name: input.name.trim(), group: input.group.trim(), notes: input.notes.trim() });
      return details(account);
    },
    set_recovery_codes: ({ id, text }) => {
      unlocked();
      const account = find(id);
      const codes = [...new Set(text.split(/[\n,;]/).map((line) => line.replace(/^\s*\d{1,3}[.)]\s+/, '').trim()).filter(Boolean))];
      if (text.trim() && !codes.length) fail('bad_input', 'no recovery codes found in the text');
      account.recoveryCodes = codes.map((code) => ({ code, used: account.recoveryCodes.some((old) => old.used && old.code === code) }));
      return details(account);
    },
    mark_recovery_code: ({ id, index, used }) => {
      unlocked();
      const account = find(id);
      if (!account.recoveryCodes[index]) fail('bad_input', `there is no recovery code number ${index + 1}`);
      account.recoveryCodes[index].used = used;
      return details(account);
    },
    copy_recovery_code: ({ id, index }) => {
      unlocked();
      const account = find(id);
      if (!account.recoveryCodes[index]) fail('bad_input', `there is no recovery code number ${index + 1}`);
      account.recoveryCodes[index].used = true;
      return details(account);
    },
    neighbour_codes: ({ id }) => {
      unlocked();
      const account = find(id);
      if (account.kind === 'hotp') return { previous: null, current: codeAt(account, 0), next: null };
      return { previous: codeAt(account, -1), current: codeAt(account, 0), next: codeAt(account, 1) };
    },
  };

  const commands = {
    ...vaultCommands,
    list_accounts: () => {
      unlocked();
      const nowMs = now();
      return { nowMs, accounts: accounts.map((account) => view(account, nowMs)) };
    },
    add_account_uri: ({ uri }) => {
      unlocked();
      let url;
      try {
        url = new URL(uri);
      } catch {
        fail('bad_input', 'this is not an otpauth:// link');
      }
      if (url.protocol !== 'otpauth:') fail('bad_input', `unsupported scheme '${url.protocol.replace(':', '')}': expected otpauth`);
      const labelText = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
      const [issuerPart, namePart] = labelText.includes(':') ? labelText.split(':', 2) : ['', labelText];
      return enroll({
        issuer: url.searchParams.get('issuer') ?? issuerPart,
        name: namePart,
        secret: url.searchParams.get('secret') ?? fail('bad_input', 'the link has no secret parameter'),
        kind: url.host || 'totp',
        digits: url.searchParams.has('digits') ? Number(url.searchParams.get('digits')) : null,
        period: url.searchParams.has('period') ? Number(url.searchParams.get('period')) : null,
        counter: url.searchParams.has('counter') ? Number(url.searchParams.get('counter')) : null,
      });
    },
    add_account_manual: ({ input }) => (unlocked(), enroll(input)),
    copy_code: ({ id }) => (unlocked(), { code: view(find(id), now()).code, clearsInSeconds: copying.clearSeconds || null }),
    delete_account: ({ id }) => {
      unlocked();
      const account = find(id);
      accounts.splice(accounts.indexOf(account), 1);
      return { label: label(account) };
    },
    hotp_next: ({ id }) => {
      unlocked();
      const account = find(id);
      if (account.kind !== 'hotp') fail('bad_input', "this account's codes are time-based, not counter-based");
      account.counter += 1;
      return view(account, now());
    },
  };

  // Key derivation and network round trips take a while in the app; so they do here.
  const SLOW = { create_vault: 700, unlock_vault: 450, unlock_with_keyring: 350, change_password: 800, merge_conflict: 500, measure_clock: 1800 };
  const invoke = (command, args = {}) =>
    new Promise((resolve, reject) => {
      setTimeout(() => {
        try {
          if (command === failing) fail('storage', `the preview was told to fail ${command}`);
          const handler = commands[command] ?? fail('unknown_command', `unknown command ${command}`);
          resolve(structuredClone(handler(args)));
        } catch (error) {
          reject(error);
        }
      }, delay + (SLOW[command] ?? 0));
    });

  window.__TAURI__ = Object.freeze({ core: Object.freeze({ invoke }) });

  // Scenarios drive the real UI through the DOM, so screenshots show genuine states.
  const scenario = params.get('scenario');
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  const until = async (test) => {
    for (let i = 0; i < 100 && !test(); i++) await wait(30);
  };
  const type = (selector, value) => {
    const el = document.querySelector(selector);
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const key = (el, key) => el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  const scenarios = {
    add: async () => document.querySelector('#add-account').click(),
    backup: async () => {
      await until(() => !document.querySelector('#backup-banner').hidden);
      document.querySelector('#backup-banner-open').click();
    },
    'backup-plain': async () => {
      await until(() => !document.querySelector('#backup-banner').hidden);
      document.querySelector('#backup-banner-open').click();
      document.querySelector('input[name="format"][value="google"]').click();
      document.querySelector('#backup-accept-plain').click();
      document.querySelector('#backup-submit').click();
    },
    details: async () => {
      document.querySelector('li.account .details').click();
    },
    'details-empty': async () => {
      document.querySelectorAll('li.account .details')[1].click();
    },
    'add-advanced': async () => {
      document.querySelector('#add-account').click();
      type('#add-issuer', 'MyKerio');
      type('#add-name', 'jane@example.com');
      type('#add-secret', 'jbsw y3dp ehpk 3pxp');
      document.querySelector('details.advanced').open = true;
    },
    'add-error': async () => {
      document.querySelector('#add-account').click();
      type('#add-issuer', 'MyKerio');
      type('#add-name', 'jane@example.com');
      type('#add-secret', 'jbsw1y3dp ehpk 3pxp');
      document.querySelector('#add-manual-submit').click();
    },
    'uri-error': async () => {
      document.querySelector('#add-account').click();
      type('#add-uri', 'https://example.com/setup');
      document.querySelector('#add-uri-submit').click();
    },
    'add-done': async () => {
      document.querySelector('#add-account').click();
      type('#add-issuer', 'MyKerio');
      type('#add-name', 'ops@example.com');
      type('#add-secret', 'jbsw y3dp');
      document.querySelector('#add-manual-submit').click();
    },
    delete: async () => document.querySelector('#accounts li.account .delete').click(),
    copied: async () => document.querySelector('#accounts li.account:nth-child(2) .code').click(),
    select: async () => {
      const first = document.querySelector('#accounts li.account .code');
      first.focus();
      key(first, 'ArrowDown');
      key(document.activeElement, 'ArrowDown');
    },
    hotp: async () => document.querySelector('#accounts li.account[data-kind="hotp"] .hotp-next').click(),
    'create-weak': async () => {
      type('#create-password', 'sunflowr');
      type('#create-confirm', 'sunflowe');
    },
    'create-strong': async () => {
      type('#create-password', 'glimmer-otter-7-Basalt');
      type('#create-confirm', 'glimmer-otter-7-Basalt');
      document.querySelector('#create-keyring').click();
      document.querySelector('#create-submit').focus();
    },
    'create-busy': async () => {
      scenarios['create-strong']();
      document.querySelector('#create-submit').click();
    },
    'unlock-error': async () => {
      await until(() => !document.querySelector('#unlock-submit').disabled);
      type('#unlock-password', 'correct horses');
      document.querySelector('#unlock-submit').click();
    },
    lock: async () => document.querySelector('#lock').click(),
    settings: async () => document.querySelector('#settings').click(),
    'settings-error': async () => {
      document.querySelector('#settings').click();
      await wait(150);
      type('#settings-current', 'not my password');
      type('#settings-new', 'lantern orchard pebble');
      type('#settings-confirm', 'lantern orchard pebble');
      document.querySelector('#settings-change-password').click();
    },
    'settings-conflict': async () => {
      document.querySelector('#conflict-review').click();
      await until(() => document.querySelector('.conflict-merge'));
      document.querySelector('.conflict-merge').click();
    },
    'settings-keyring': async () => {
      document.querySelector('#settings').click();
      await wait(150);
      document.querySelector('#settings-keyring').click();
    },
    'settings-keyring-off': async () => {
      document.querySelector('#settings').click();
      await wait(300);
      document.querySelector('#settings-keyring').click();
    },
    clock: async () => document.querySelector('#clock').click(),
    'clock-measure': async () => {
      document.querySelector('#clock').click();
      await wait(150);
      document.querySelector('#clock-measure').click();
    },
    verify: async () => document.querySelector('#accounts li.account .verify').click(),
    'verify-match': async () => {
      const li = document.querySelector('#accounts li.account');
      li.querySelector('.verify').click();
      await wait(150);
      type('#verify-code', window.__mockCode(li.dataset.id, -2));
      document.querySelector('#verify-submit').click();
    },
    'verify-hotp': async () => document.querySelector('#accounts li.account[data-kind="hotp"] .verify').click(),
    'verify-nomatch': async () => {
      document.querySelector('#accounts li.account .verify').click();
      await wait(150);
      type('#verify-code', '000 000');
      document.querySelector('#verify-submit').click();
    },
  };
  if (scenario && scenarios[scenario]) {
    addEventListener('DOMContentLoaded', async () => {
      await until(
        () =>
          document.querySelector('#accounts li.account') ||
          ['#empty-state', '#create-vault', '#unlock'].some((id) => !document.querySelector(id).hidden),
      );
      await wait(50);
      await scenarios[scenario]();
    });
  }

  // The app runs with frozen prototypes; so does the preview, to catch code that relies on them.
  Object.freeze(Object.prototype);
})();
