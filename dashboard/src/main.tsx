import { render } from 'preact';
import { useState } from 'preact/hooks';
import { Api } from './api.ts';
import { checkToken, findToken, forget, remember } from './session.ts';
import { App } from './ui/App.tsx';
import './styles.css';

function SignIn(props: { problem: string | null; onToken: (token: string) => void }) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState(props.problem);
  const submit = async (e: Event) => {
    e.preventDefault();
    const token = value.trim();
    const wrong = await checkToken(token);
    if (wrong) setProblem(wrong);
    else {
      remember(token);
      props.onToken(token);
    }
  };
  return (
    <main class="signin">
      <h1>fleetsim dashboard</h1>
      <form onSubmit={submit}>
        <label for="token">Bearer token (printed by fleetsim demo or fleetsim serve)</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Open the dashboard</button>
        {problem && (
          <p role="alert" class="problem">
            {problem}
          </p>
        )}
      </form>
    </main>
  );
}

function Root(props: { token: string | null; problem: string | null }) {
  const [token, setToken] = useState(props.token);
  if (!token) return <SignIn problem={props.problem} onToken={setToken} />;
  return (
    <App
      api={new Api(token)}
      onSignOut={() => {
        forget();
        setToken(null);
      }}
    />
  );
}

const { token, problem } = await findToken();
const working = token && !(await checkToken(token)) ? token : null;
render(<Root token={working} problem={problem} />, document.getElementById('app')!);
