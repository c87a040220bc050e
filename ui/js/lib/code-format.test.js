import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupCode, formatCode, spokenCode } from './code-format.js';

test('every digit count gets a sensible grouping', () => {
  const expected = {
    4: ['1234'],
    5: ['12345'],
    6: ['123', '456'],
    7: ['123', '4567'],
    8: ['1234', '5678'],
    9: ['123', '456', '789'],
    10: ['123', '456', '7890'],
  };
  for (const [length, groups] of Object.entries(expected)) {
    const code = '1234567890'.slice(0, Number(length));
    assert.deepEqual(groupCode(code), groups, `${length} digits`);
  }
});

test('no group is longer than four characters nor shorter than three', () => {
  for (let length = 6; length <= 16; length++) {
    const groups = groupCode('7'.repeat(length));
    assert.equal(groups.join('').length, length);
    for (const group of groups) {
      assert.ok(group.length >= 3 && group.length <= 4, `${length}: ${groups}`);
    }
  }
});

test('Steam codes stay in one piece', () => {
  assert.deepEqual(groupCode('2KBX7'), ['2KBX7']);
  assert.equal(formatCode('2KBX7'), '2KBX7');
});

test('formatCode joins the groups with single spaces', () => {
  assert.equal(formatCode('123456'), '123 456');
  assert.equal(formatCode('12345678'), '1234 5678');
  assert.equal(formatCode('1234567'), '123 4567');
});

test('empty and missing codes format to nothing', () => {
  assert.deepEqual(groupCode(''), []);
  assert.equal(formatCode(null), '');
  assert.equal(spokenCode(undefined), '');
});

test('spokenCode spells the code one character at a time', () => {
  assert.equal(spokenCode('123456'), '1 2 3 4 5 6');
  assert.equal(spokenCode('2KBX7'), '2 K B X 7');
});

test('codes given as numbers keep working', () => {
  assert.equal(formatCode(654321), '654 321');
});
