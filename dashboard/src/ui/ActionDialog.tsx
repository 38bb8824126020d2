import { useEffect, useRef, useState } from 'preact/hooks';
import { ACTION_LABELS, type ActionKind } from '../logic/actions.ts';
import type { SentAction } from '../logic/rule-attribution.ts';

/** What the dialog sends: the action the drawer later labels the changes of (rule-attribution.ts). */
export type ActionChoice = SentAction;

const TEXT: Partial<Record<ActionKind, string>> = {
  wipe: 'Wipe restores the device to its factory default settings.',
  retire: 'Retire removes company data, apps and settings; personal data stays.',
  delete: 'Delete removes the device from Intune; it is retired at its next check-in.',
  freshStart: 'Fresh Start removes apps installed by the OEM and reinstalls Windows.',
};

/**
 * The confirmation Intune's admin center shows before an action, as a modal <dialog>: focus
 * moves into it, Escape cancels, and the wipe's two options are checkboxes with their admin
 * center wording.
 */
export function ActionDialog(props: {
  kind: ActionKind;
  target: string;
  onConfirm: (c: ActionChoice) => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [keep, setKeep] = useState(false);
  const [protect, setProtect] = useState(false);
  const [keepUserData, setKeepUserData] = useState(false);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const confirm = (e: Event) => {
    e.preventDefault();
    props.onConfirm({
      kind: props.kind,
      wipe: { keepEnrollmentAndUser: keep, continueOnPowerLoss: protect },
      freshStartKeepUserData: keepUserData,
    });
  };
  const check = (id: string, checked: boolean, set: (v: boolean) => void, label: string) => (
    <div class="check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => set((e.target as HTMLInputElement).checked)}
      />
      <label for={id}>{label}</label>
    </div>
  );
  return (
    <dialog ref={dialog} aria-labelledby="action-title" onCancel={props.onCancel} onClose={props.onCancel}>
      <form onSubmit={confirm}>
        <h2 id="action-title">
          {ACTION_LABELS[props.kind]} {props.target}
        </h2>
        <p>{TEXT[props.kind]}</p>
        {props.kind === 'wipe' && (
          <>
            {check('wipe-keep', keep, setKeep, 'Wipe device, but keep enrollment state and user account')}
            {check(
              'wipe-protect',
              protect,
              setProtect,
              'Wipe device, and continue to wipe even if device loses power. If you select this option, please be aware that it might prevent some devices that are set up with Windows 10 to start up again.',
            )}
          </>
        )}
        {props.kind === 'freshStart' &&
          check('fs-keep', keepUserData, setKeepUserData, 'Retain user data on this device')}
        <div class="buttons">
          <button type="submit" class="danger">
            {ACTION_LABELS[props.kind]}
          </button>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
