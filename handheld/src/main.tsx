import { render } from 'preact'
import '@picocss/pico/css/pico.min.css'
import './styles.css'
import { App } from './app.tsx'
import { unlockAudioOnGesture } from './feedback/tones.ts'

unlockAudioOnGesture()
render(<App />, document.getElementById('app')!)
