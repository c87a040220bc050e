// The row of group buttons above the list ("All", "Work", "Family"): shown once some account
// is filed under a group; one button is pressed at a time and narrows the list to its group.

/**
 * `onChange()` runs after the user picks another group; `selected` is the picked group's key,
 * or '' for all accounts.
 */
export function createGroupFilter(root, { onChange }) {
  let selected = '';

  function button(key, text, count) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'group-chip';
    b.dataset.key = key;
    b.setAttribute('aria-pressed', String(key === selected));
    const label = document.createElement('span');
    label.textContent = text;
    b.append(label);
    if (count !== undefined) {
      const badge = document.createElement('span');
      badge.className = 'group-count';
      badge.textContent = String(count);
      // Read as "Work, 2 accounts" rather than "Work 2".
      badge.setAttribute('aria-label', `, ${count} account${count === 1 ? '' : 's'}`);
      b.append(badge);
    }
    return b;
  }

  function choose(key) {
    selected = key;
    for (const b of root.querySelectorAll('.group-chip')) {
      b.setAttribute('aria-pressed', String(b.dataset.key === selected));
    }
  }

  root.addEventListener('click', (event) => {
    const chip = event.target.closest('.group-chip');
    if (!chip || chip.dataset.key === selected) return;
    choose(chip.dataset.key);
    onChange();
  });

  return {
    /**
     * Shows `groups` (from `groupsOf`); hidden when there are none. A group that no longer
     * exists (its last account moved or deleted) falls back to all accounts.
     */
    render(groups) {
      if (!groups.some((group) => group.key === selected)) selected = '';
      root.hidden = groups.length === 0;
      const signature = JSON.stringify([selected, groups]);
      if (root.dataset.signature === signature) return;
      // Rebuilding moves focus off a chip, so keep it on the same group.
      const focusedKey = root.contains(document.activeElement) ? document.activeElement.dataset.key : null;
      root.dataset.signature = signature;
      root.replaceChildren(...(groups.length ? [button('', 'All'), ...groups.map((g) => button(g.key, g.name, g.count))] : []));
      if (focusedKey !== null) root.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
    },
    /** Back to every account (quick pick searches them all). */
    showAll() {
      choose('');
    },
    get selected() {
      return selected;
    },
    /** The shown name of the selected group, for messages. */
    get selectedName() {
      return root.querySelector(`.group-chip[aria-pressed="true"] span`)?.textContent ?? '';
    },
  };
}
