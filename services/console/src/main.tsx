import { render } from 'preact';
import { App } from './app.js';
import { setLanguage, startLanguage } from './messages.js';
import './styles.css';

// The person's language first (its catalogue loaded), then the console.
void setLanguage(startLanguage())
  .catch(() => setLanguage('en'))
  .finally(() => render(<App />, document.getElementById('app')!));
