// Popup entry (the profile manager and prompt arrive with their own issue).
import { render } from 'preact';

render(<p>Proxy Auth Keeper</p>, document.getElementById('app') as HTMLElement);
