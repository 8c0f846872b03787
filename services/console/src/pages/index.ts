// Every page of the console and the top bar's entries, in the order the bar shows them. A new page is
// listed here (see page.ts, "Adding a page").
import { alertPage, transitionPage } from './alert.ts';
import { dashboardCsvPage, dashboardNav, dashboardPage, pipelineNav, pipelinePage } from './dashboard.ts';
import { chooseStreetPage, homeNav, homePage } from './home.ts';
import { worklistNav, worklistPage } from './worklist.ts';
import type { NavItem, Page } from './page.ts';

export const PAGES: readonly Page[] = [
  homePage,
  chooseStreetPage,
  worklistPage,
  alertPage,
  transitionPage,
  dashboardPage,
  dashboardCsvPage,
  pipelinePage,
];

export const NAV: readonly NavItem[] = [homeNav, worklistNav, dashboardNav, pipelineNav];
