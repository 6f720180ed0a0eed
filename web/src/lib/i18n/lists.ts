/** Words of the drill-down list pages; keys start with 'lists.'. */
export const zh = {
  'lists.title': '明细',
} satisfies Record<string, string>;

export const en: Record<keyof typeof zh, string> = {
  'lists.title': 'Details',
};
