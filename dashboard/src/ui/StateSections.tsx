import type { DeviceState } from '../../../sim/device-state.ts';

/** The modeled on-device state, one collapsible section per kind of thing a wipe or retire touches. */
export function StateSections(props: { state: DeviceState }) {
  const s = props.state;
  const section = (title: string, count: number, items: string[]) => (
    <details>
      <summary>
        {title} ({count})
      </summary>
      <ul>
        {items.map((i) => (
          <li>{i}</li>
        ))}
      </ul>
    </details>
  );
  return (
    <section class="state" aria-label="Modeled device state">
      <h3>On the device</h3>
      {section(
        'Apps and their data',
        s.apps.length,
        s.apps.map(
          (a) =>
            `${a.name} (${a.kind})${a.installed ? '' : ' uninstalled'}${a.data.length ? ` — data: ${a.data.map((d) => `${d.location} ${d.status}`).join(', ')}` : ''}`,
        ),
      )}
      {section(
        'Certificates',
        s.certificates.length,
        s.certificates.map(
          (c) => `${c.subject} (${c.source})${c.installed ? '' : ' removed'}${c.revoked ? ' revoked' : ''}`,
        ),
      )}
      {section(
        'Wi-Fi and VPN',
        s.networkProfiles.length,
        s.networkProfiles.map((p) => `${p.kind} ${p.name} (${p.source})`),
      )}
      {section('Email', s.emailProfiles.length, [
        ...s.emailProfiles.map((p) => `${p.account} (${p.source})`),
        `cached messages: ${s.mail.cachedMessages}, EFS-protected: ${s.mail.efsProtectedMessages}`,
      ])}
      {section(
        'Accounts',
        s.accounts.length,
        s.accounts.map((a) => `${a.name} (${a.kind})`),
      )}
      {section('Azure AD and enrollment', 1, [
        `Azure AD: ${s.azureAd.join}${s.azureAd.joinedDuringSetup ? ' (joined during setup)' : ''}; domain joined: ${s.domainJoined}`,
        `MDM enrolled: ${s.management.enrolled}; policies: ${s.management.policies.length}`,
        `work profile: ${s.workProfile ? `${s.workProfile.apps.length} apps` : 'none'}`,
      ])}
      {section(
        'Files',
        s.files.length,
        s.files.map((f) => `${f.path} (${f.area})`),
      )}
      {section(
        'Settings',
        s.settings.length,
        s.settings.map((x) => `${x.key} = ${x.value}${x.enforced ? ' (enforced)' : ''}`),
      )}
      {section('Boot, power and NVRAM', 1, [
        `boot ${s.boot}, power ${s.power}, network ${s.network}, BitLocker ${s.bitLocker}`,
        `NVRAM: ${s.nvram.resetJob ? JSON.stringify(s.nvram.resetJob) : 'no reset job'}${s.nvram.firmwareUnlockCode ? `, unlock code ${s.nvram.firmwareUnlockCode}` : ''}`,
      ])}
    </section>
  );
}
