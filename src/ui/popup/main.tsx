// Popup entry: the toolbar popup, or (with ?prompt=<id>) the small prompt window the worker opens.
import { render } from 'preact';
import '../components/theme.css';
import './popup.css';
import { App } from './app';

const promptId = new URLSearchParams(location.search).get('prompt');
render(<App promptId={promptId} />, document.getElementById('app') as HTMLElement);
