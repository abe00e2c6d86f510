// Popup entry: the toolbar popup, or (with ?prompt=<id>) the small prompt window the worker opens.
import { render } from 'preact';
import '../components/theme.css';
import './popup.css';
import { markPageLanguage } from '../components/i18n';
import { App } from './app';

const promptId = new URLSearchParams(location.search).get('prompt');
markPageLanguage();
render(<App promptId={promptId} />, document.getElementById('app') as HTMLElement);
