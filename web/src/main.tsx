// Entry: styles, router, render.
import { render } from 'preact';
import './styles.css';
import { App } from './app';
import { startRouter } from './router';
import { followOtherTabs } from './auth';

startRouter();
followOtherTabs();
render(<App />, document.getElementById('app')!);
