import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recoveryBadge, recoverySummary } from './recovery.js';

test('the summary counts what is left and warns when few or none remain', () => {
  assert.deepEqual(recoverySummary(0, 0), { text: 'No recovery codes kept for this account.', tone: 'none' });
  assert.deepEqual(recoverySummary(10, 10), { text: '10 unused recovery codes.', tone: 'ok' });
  assert.deepEqual(recoverySummary(1, 1), { text: '1 unused recovery code.', tone: 'low' });
  assert.deepEqual(recoverySummary(7, 10), { text: '7 of 10 recovery codes left.', tone: 'ok' });
  assert.equal(recoverySummary(2, 10).tone, 'low');
  assert.deepEqual(recoverySummary(0, 8), {
    text: 'All 8 recovery codes are used: ask the service for new ones.',
    tone: 'empty',
  });
});

test('the row shows a badge only when codes run low', () => {
  assert.equal(recoveryBadge({ recoveryRemaining: 0, recoveryTotal: 0 }), null);
  assert.equal(recoveryBadge({ recoveryRemaining: 3, recoveryTotal: 10 }), null);
  assert.equal(recoveryBadge({ recoveryRemaining: 2, recoveryTotal: 10 }), '2 recovery codes left');
  assert.equal(recoveryBadge({ recoveryRemaining: 1, recoveryTotal: 10 }), '1 recovery code left');
  assert.equal(recoveryBadge({ recoveryRemaining: 0, recoveryTotal: 10 }), 'no recovery codes left');
  assert.equal(recoveryBadge({}), null);
});
