/** Words of the settings page(s); keys start with 'settings.'. */
export const zh = {
  'settings.title': 'settings',
} satisfies Record<string, string>;

export const en: Record<keyof typeof zh, string> = {
  'settings.title': 'settings',
};
