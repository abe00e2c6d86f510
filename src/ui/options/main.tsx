// Options entry: history, profiles and settings (options.html#history, #profiles, #settings).
import { render } from 'preact';
import '../components/theme.css';
import './options.css';
import { App } from './app';

render(<App />, document.getElementById('app') as HTMLElement);
