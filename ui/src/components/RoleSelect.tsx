import { STAFF_ROLES } from "../api/vocabulary";

interface Props {
  value: string;
  onChange: (role: string) => void;
}

/** 職種: the clinic account's role, from the domain's list. */
export function RoleSelect({ value, onChange }: Props) {
  return (
    <label class="field">
      <span class="field-label">職種</span>
      <select
        name="role"
        value={value}
        onChange={(e) => {
          onChange(e.currentTarget.value);
        }}
      >
        {STAFF_ROLES.map((r) => (
          <option key={r.code} value={r.code}>
            {r.label}
          </option>
        ))}
      </select>
    </label>
  );
}
