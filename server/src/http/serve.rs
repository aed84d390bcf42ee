//! Serving the router on a socket (HTTPS, or plain HTTP on loopback),
//! with the listener's own limits: a time to send a request's head, and a
//! cap on open connections (beyond it, a new connection is closed at
//! once, so sockets and memory stay bounded whatever clients do).

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::Router;
use axum_server::accept::Accept;
use axum_server::tls_rustls::RustlsConfig;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::http::limits::Limits;

/// Serves `app` on `listener` until `handle` is told to stop.
pub async fn serve(
    listener: std::net::TcpListener,
    tls: Option<RustlsConfig>,
    app: Router,
    limits: &Limits,
    handle: axum_server::Handle<SocketAddr>,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    match tls {
        Some(config) => {
            let mut server = axum_server::from_tcp_rustls(listener, config)?
                .map(|inner| Limited {
                    inner,
                    slots: slots.clone(),
                })
                .handle(handle)
                .first_request_timeout(limits.header_read);
            server
                .http_builder()
                .http1()
                .header_read_timeout(limits.header_read);
            server.serve(app).await
        }
        None => {
            let mut server = axum_server::from_tcp(listener)?
                .map(|inner| Limited { inner, slots })
                .handle(handle)
                .first_request_timeout(limits.header_read);
            server
                .http_builder()
                .http1()
                .header_read_timeout(limits.header_read);
            server.serve(app).await
        }
    }
}

/// An acceptor that takes a connection slot or closes the connection.
#[derive(Clone)]
struct Limited<A> {
    inner: A,
    slots: Arc<Semaphore>,
}

impl<I, S, A> Accept<I, S> for Limited<A>
where
    A: Accept<I, S> + Clone + Send + 'static,
    A::Future: Send,
    I: Send + 'static,
    S: Send + 'static,
{
    type Stream = Held<A::Stream>;
    type Service = A::Service;
    type Future = Pin<Box<dyn Future<Output = io::Result<(Self::Stream, Self::Service)>> + Send>>;

    fn accept(&self, stream: I, service: S) -> Self::Future {
        let slot = self.slots.clone().try_acquire_owned();
        let inner = self.inner.clone();
        Box::pin(async move {
            // Dropping the stream closes the connection.
            let slot = slot.map_err(|_| io::Error::other("too many connections"))?;
            let (stream, service) = inner.accept(stream, service).await?;
            Ok((
                Held {
                    stream,
                    _slot: slot,
                },
                service,
            ))
        })
    }
}

/// A connection holding its slot until it closes.
struct Held<T> {
    stream: T,
    _slot: OwnedSemaphorePermit,
}

impl<T: AsyncRead + Unpin> AsyncRead for Held<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Held<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}
