import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import * as api from './api';
import { AppState } from './lib/app-state.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

mount(App, { target, props: { app: new AppState(api) } });
