// Options entry: history, profiles and settings (options.html#history, #profiles, #settings).
import { render } from 'preact';
import '../components/theme.css';
import './options.css';
import { markPageLanguage } from '../components/i18n';
import { App } from './app';

markPageLanguage();
render(<App />, document.getElementById('app') as HTMLElement);
