// Entry: styles, router, render.
import { render } from 'preact';
import './styles.css';
import { App } from './app';
import { startRouter } from './router';

startRouter();
render(<App />, document.getElementById('app')!);
