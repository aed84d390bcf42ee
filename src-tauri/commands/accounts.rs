//! Sign-in, the screen lock and the administrator's accounts. Signing in
//! and unlocking use the core as it is (no one is signed in yet); every
//! other command passes the lock first, through `Desktop::app`.

use tauri::State;

use crate::desktop::Desktop;
use crate::ipc::{Account, AccountInput, AppError, Session, accounts};

pub async fn session(desktop: State<'_, Desktop>) -> Result<Session, AppError> {
    Ok(desktop.core()?.session_view().await?.into())
}

pub async fn create_first_account(
    desktop: State<'_, Desktop>,
    input: AccountInput,
) -> Result<Session, AppError> {
    Ok(desktop
        .core()?
        .create_first_account(&input.into())
        .await?
        .into())
}

pub async fn sign_in(
    desktop: State<'_, Desktop>,
    login: String,
    password: String,
) -> Result<Session, AppError> {
    Ok(desktop.core()?.sign_in(&login, &password).await?.into())
}

pub async fn unlock(desktop: State<'_, Desktop>, secret: String) -> Result<Session, AppError> {
    Ok(desktop.core()?.unlock(&secret).await?.into())
}

pub async fn lock_now(desktop: State<'_, Desktop>) -> Result<Session, AppError> {
    let core = desktop.core()?;
    core.lock();
    Ok(core.session_view().await?.into())
}

pub async fn sign_out(desktop: State<'_, Desktop>) -> Result<Session, AppError> {
    Ok(desktop.core()?.sign_out().await?.into())
}

/// The window saw the user at work (typing, the mouse) without a command.
pub async fn still_here(desktop: State<'_, Desktop>) -> Result<(), AppError> {
    desktop.core()?.still_here().await?;
    Ok(())
}

pub async fn change_password(
    desktop: State<'_, Desktop>,
    old_password: String,
    new_password: String,
) -> Result<Session, AppError> {
    Ok(desktop
        .app()
        .await?
        .change_password(&old_password, &new_password)
        .await?
        .into())
}

pub async fn set_pin(
    desktop: State<'_, Desktop>,
    pin: Option<String>,
) -> Result<Session, AppError> {
    Ok(desktop.app().await?.set_pin(pin.as_deref()).await?.into())
}

pub async fn list_accounts(desktop: State<'_, Desktop>) -> Result<Vec<Account>, AppError> {
    Ok(accounts(desktop.app().await?.accounts().await?))
}

pub async fn add_account(
    desktop: State<'_, Desktop>,
    input: AccountInput,
) -> Result<Vec<Account>, AppError> {
    Ok(accounts(
        desktop.app().await?.add_account(&input.into()).await?,
    ))
}

pub async fn reset_password(
    desktop: State<'_, Desktop>,
    account_id: String,
    temporary_password: String,
) -> Result<Vec<Account>, AppError> {
    Ok(accounts(
        desktop
            .app()
            .await?
            .reset_password(&account_id, &temporary_password)
            .await?,
    ))
}

pub async fn set_account_disabled(
    desktop: State<'_, Desktop>,
    account_id: String,
    disabled: bool,
) -> Result<Vec<Account>, AppError> {
    Ok(accounts(
        desktop
            .app()
            .await?
            .set_account_disabled(&account_id, disabled)
            .await?,
    ))
}

pub async fn set_lock_minutes(
    desktop: State<'_, Desktop>,
    minutes: u32,
) -> Result<Session, AppError> {
    Ok(desktop.app().await?.set_lock_minutes(minutes).await?.into())
}
