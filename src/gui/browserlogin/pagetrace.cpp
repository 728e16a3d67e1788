#include "pagetrace.h"

#include "networkrecorder.h"

#include <QWebEngineLoadingInfo>

namespace portolan::gui {

PageTrace::PageTrace(http::NetworkRecorder *recorder, QObject *parent) : QObject(parent), m_recorder(recorder) {}

void PageTrace::settle(int status, const QString &outcome, bool failed)
{
    if (!m_pending || !m_recorder)
        return;
    http::NetworkRecorder::PageLoad load;
    load.method = m_pending->method;
    load.url = m_pending->url;
    load.status = status;
    load.outcome = outcome;
    load.failed = failed;
    m_pending.reset();
    m_recorder->recordPageLoad(load);
}

void PageTrace::requested(const QByteArray &method, const QUrl &url)
{
    settle(0, tr("left before it finished loading"));
    m_pending = Pending{method, url};
}

void PageTrace::redirected(const QUrl &url)
{
    settle(0, tr("redirected to %1 (the embedded browser does not report a redirect's status)").arg(url.toString(QUrl::RemoveQuery)));
}

void PageTrace::loadingChanged(const QWebEngineLoadingInfo &info)
{
    switch (info.status()) {
    case QWebEngineLoadingInfo::LoadStartedStatus:
        return;
    case QWebEngineLoadingInfo::LoadSucceededStatus:
    case QWebEngineLoadingInfo::LoadFailedStatus:
        if (info.errorDomain() == QWebEngineLoadingInfo::HttpStatusCodeDomain)
            settle(info.errorCode(), {});
        else if (info.status() == QWebEngineLoadingInfo::LoadSucceededStatus)
            settle(0, tr("loaded (the embedded browser reported no HTTP status)"));
        else
            settle(0, info.errorString(), true);
        return;
    case QWebEngineLoadingInfo::LoadStoppedStatus:
        settle(0, tr("stopped before it finished loading"));
        return;
    }
}

void PageTrace::reachedRedirectUri(const QUrl &callbackUrl)
{
    settle(0, tr("redirected to the redirect URI (the embedded browser does not report a redirect's status)"));
    m_pending = Pending{"GET", callbackUrl};
    settle(0, tr("handed to the login: the redirect URI is never loaded"));
}

} // namespace portolan::gui
