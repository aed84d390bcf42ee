import type { Patient, PatientInput } from "../api";
import { formatCount } from "./format";

/** The patient form before anything is typed. */
export const EMPTY_PATIENT: PatientInput = {
  name: "",
  kana: "",
  birthDate: "",
  sex: null,
  address: "",
  phone: "",
  keyPersonName: "",
  keyPersonRelation: "",
  keyPersonPhone: "",
  chartNumber: "",
  memo: "",
};

/** A stored patient as the form's values (no chart number becomes an empty field). */
export function toPatientInput(p: Patient): PatientInput {
  return {
    name: p.name,
    kana: p.kana,
    birthDate: p.birthDate,
    sex: p.sex,
    address: p.address,
    phone: p.phone,
    keyPersonName: p.keyPersonName,
    keyPersonRelation: p.keyPersonRelation,
    keyPersonPhone: p.keyPersonPhone,
    chartNumber: p.chartNumber ?? "",
    memo: p.memo,
  };
}

/** The patient list's count line; `capped` means counting stopped at `total`. */
export function patientCountText(shown: number, total: number, capped: boolean): string {
  const all = capped ? `${formatCount(total)}件以上` : `全${formatCount(total)}件`;
  return shown < total || capped ? `${all}中${formatCount(shown)}件を表示` : `${formatCount(total)}件`;
}
