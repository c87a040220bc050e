// A fake backend for previewing the UI in a browser: defines window.__TAURI__.core.invoke
// with the same commands, shapes and errors as the app, and fake codes derived from a counter
// (no cryptography: these codes only have to look and change like real ones).
//
// Query flags:
//   accounts=0        start with no accounts (empty state)
//   at=SECONDS        pretend every 30 s step is SECONDS in at load (at=26: last-seconds state)
//   skew=MS           backend clock ahead of the page's clock by MS
//   delay=MS          latency of every command
//   storage=vault     report the encrypted vault instead of memory
//   fail=COMMAND      make that command fail
//   scenario=NAME     act after the first render: add, add-advanced, add-error, uri-error,
//                     delete, copied, select, hotp, warning
(() => {
  'use strict';
  const params = new URLSearchParams(location.search);
  const delay = Number(params.get('delay') ?? 60);
  const skew = Number(params.get('skew') ?? 0);
  const at = params.get('at');
  const failing = params.get('fail');
  const start = Date.now();
  const shift = at === null ? 0 : Number(at) * 1000 - (start % 30_000);
  const now = () => Date.now() + skew + shift;

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

  const view = (account, nowMs) => {
    if (account.kind === 'hotp') {
      return {
        id: account.id, issuer: account.issuer, name: account.name, kind: 'hotp', digits: account.digits,
        period: null, counter: account.counter, code: fakeCode(account.seed, account.counter, account.digits, 'hotp'),
        nextCode: null, validFromMs: null, validUntilMs: null,
      };
    }
    const stepMs = account.period * 1000;
    const step = Math.floor(nowMs / stepMs);
    return {
      id: account.id, issuer: account.issuer, name: account.name, kind: account.kind, digits: account.digits,
      period: account.period, counter: null,
      code: fakeCode(account.seed, step, account.digits, account.kind),
      nextCode: fakeCode(account.seed, step + 1, account.digits, account.kind),
      validFromMs: step * stepMs, validUntilMs: (step + 1) * stepMs,
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

  const commands = {
    app_status: () =>
      params.get('storage') === 'vault'
        ? { storage: 'vault', storageNote: 'Accounts are saved in your encrypted vault.', version: '0.1.0' }
        : {
            storage: 'memory',
            storageNote: 'Accounts are kept in memory only until the encrypted vault arrives: they will be gone when Tessera closes.',
            version: '0.1.0',
          },
    list_accounts: () => {
      const nowMs = now();
      return { nowMs, accounts: accounts.map((account) => view(account, nowMs)) };
    },
    add_account_uri: ({ uri }) => {
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
    add_account_manual: ({ input }) => enroll(input),
    copy_code: ({ id }) => ({ code: view(find(id), now()).code }),
    delete_account: ({ id }) => {
      const account = find(id);
      accounts.splice(accounts.indexOf(account), 1);
      return { label: label(account) };
    },
    hotp_next: ({ id }) => {
      const account = find(id);
      if (account.kind !== 'hotp') fail('bad_input', "this account's codes are time-based, not counter-based");
      account.counter += 1;
      return view(account, now());
    },
  };

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
      }, delay);
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
  };
  if (scenario && scenarios[scenario]) {
    addEventListener('DOMContentLoaded', async () => {
      await until(() => document.querySelector('#accounts li.account') || !document.querySelector('#empty-state').hidden);
      await wait(50);
      await scenarios[scenario]();
    });
  }

  // The app runs with frozen prototypes; so does the preview, to catch code that relies on them.
  Object.freeze(Object.prototype);
})();
