// /lists has no page of its own: the late tickets list is the first of the three (query kept).
import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url }) => {
  redirect(307, '/lists/late' + url.search);
};
