use chrono::{DateTime, Utc};
use tsunagu_domain::ClinicProfile;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::StoreResult;

type ClinicRow = (
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
);

impl Store {
    pub async fn clinic_profile(&self) -> StoreResult<Option<ClinicProfile>> {
        let row: Option<ClinicRow> = sqlx::query_as(
            "SELECT name, institution_code, postal_code, address, phone, fax, doctor_name
             FROM clinic_profile WHERE id = 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(
            |(name, institution_code, postal_code, address, phone, fax, doctor_name)| {
                ClinicProfile {
                    name,
                    institution_code,
                    postal_code,
                    address,
                    phone,
                    fax,
                    doctor_name,
                }
            },
        ))
    }

    pub async fn save_clinic_profile(
        &self,
        profile: &ClinicProfile,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let existed: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM clinic_profile)")
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO clinic_profile
                 (id, name, institution_code, postal_code, address, phone, fax, doctor_name, updated_at)
             VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET
                 name = excluded.name, institution_code = excluded.institution_code,
                 postal_code = excluded.postal_code, address = excluded.address,
                 phone = excluded.phone, fax = excluded.fax,
                 doctor_name = excluded.doctor_name, updated_at = excluded.updated_at",
        )
        .bind(&profile.name)
        .bind(&profile.institution_code)
        .bind(&profile.postal_code)
        .bind(&profile.address)
        .bind(&profile.phone)
        .bind(&profile.fax)
        .bind(&profile.doctor_name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let action = if existed {
            AuditAction::Update
        } else {
            AuditAction::Create
        };
        audit::append(&mut tx, now, actor, action, "clinic_profile", "1").await?;
        tx.commit().await?;
        Ok(())
    }
}
