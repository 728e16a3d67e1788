#include "browserloginwindow.h"

#include "certificatechaindialog.h"
#include "loginpage.h"
#include "loginschemes.h"
#include "pagetrace.h"
#include "themecolors.h"
#include "traceview.h"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWebEngineCertificateError>
#include <QWebEngineHistory>
#include <QWebEngineProfile>
#include <QWebEngineView>

namespace portolan::gui {

BrowserLoginWindow::BrowserLoginWindow(const QUrl &authorizationUrl, const QUrl &redirectUri,
                                       const BrowserLoginOptions &options, QWidget *parent)
    : QWidget(parent, Qt::Window), m_authorizationUrl(authorizationUrl), m_redirectUri(redirectUri),
      m_profile(options.persistentProfile.isEmpty() ? new QWebEngineProfile(this)
                                                    : new QWebEngineProfile(QStringLiteral("login-") + options.persistentProfile, this)),
      m_blocker(new RedirectRequestBlocker(redirectUri, this)), m_schemes(new RefusingSchemeHandler(this)),
      m_page(new LoginPage(m_profile, redirectUri, this)), m_view(new QWebEngineView(this)),
      m_back(new QToolButton(this)), m_reload(new QToolButton(this)), m_padlock(new QToolButton(this)),
      m_address(new QLineEdit(this)), m_progress(new QProgressBar(this)), m_problem(new QLabel(this)),
      m_split(new QSplitter(Qt::Vertical, this))
{
    setWindowTitle(tr("Log in — %1").arg(authorizationUrl.host()));
    setAttribute(Qt::WA_DeleteOnClose, false);
    m_profile->setUrlRequestInterceptor(m_blocker);
    for (const QString &scheme : loginUrlSchemes())
        m_profile->installUrlSchemeHandler(scheme.toLatin1(), m_schemes);
    m_view->setPage(m_page);

    m_back->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    m_back->setToolTip(tr("Back"));
    m_back->setAccessibleName(tr("Back"));
    m_back->setEnabled(false);
    m_reload->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_reload->setToolTip(tr("Reload"));
    m_reload->setAccessibleName(tr("Reload"));
    m_padlock->setAutoRaise(true);
    m_padlock->setAccessibleName(tr("Connection security"));
    m_address->setReadOnly(true);
    m_address->setAccessibleName(tr("Address"));
    m_progress->setMaximumHeight(3);
    m_progress->setTextVisible(false);
    m_progress->setAccessibleName(tr("Page loading progress"));
    m_problem->setWordWrap(true);
    m_problem->setMargin(6);
    m_problem->setAutoFillBackground(true);
    QPalette problemPalette = m_problem->palette();
    problemPalette.setColor(QPalette::Window, toneBackground(Tone::Error, palette()));
    problemPalette.setColor(QPalette::WindowText, toneBackgroundText(Tone::Error, palette()));
    m_problem->setPalette(problemPalette);
    m_problem->hide();
    auto *systemBrowser = new QPushButton(tr("Use System Browser"), this);
    systemBrowser->setToolTip(tr("For providers that refuse embedded browsers: log in in your usual browser."));
    auto *cancel = new QPushButton(tr("Cancel"), this);

    connect(m_back, &QToolButton::clicked, m_view, &QWebEngineView::back);
    connect(m_reload, &QToolButton::clicked, m_view, &QWebEngineView::reload);
    connect(m_padlock, &QToolButton::clicked, this, &BrowserLoginWindow::showCertificates);
    connect(cancel, &QPushButton::clicked, this, &QWidget::close);
    connect(systemBrowser, &QPushButton::clicked, this, [this] {
        Q_EMIT systemBrowserRequested(m_authorizationUrl);
        finish();
    });
    connect(m_page, &QWebEnginePage::urlChanged, this, &BrowserLoginWindow::onUrlChanged);
    connect(m_page, &QWebEnginePage::certificateError, this, &BrowserLoginWindow::onCertificateError);
    connect(m_page, &LoginPage::redirectReached, this, &BrowserLoginWindow::onCallback);
    connect(m_page, &QWebEnginePage::loadStarted, this, [this] {
        m_progress->setValue(0);
        m_progress->show();
    });
    connect(m_page, &QWebEnginePage::loadProgress, m_progress, &QProgressBar::setValue);
    connect(m_page, &QWebEnginePage::loadFinished, this, [this] {
        m_progress->hide();
        m_back->setEnabled(m_view->history()->canGoBack());
    });

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 6, 6, 2);
    bar->setSpacing(4);
    bar->addWidget(m_back);
    bar->addWidget(m_reload);
    bar->addWidget(m_padlock);
    bar->addWidget(m_address, 1);
    bar->addWidget(systemBrowser);
    bar->addWidget(cancel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_progress);
    layout->addWidget(m_problem);
    m_split->addWidget(m_view);
    layout->addWidget(m_split, 1);
    resize(900, 720);
    onUrlChanged(authorizationUrl);
}

BrowserLoginWindow::~BrowserLoginWindow()
{
    // A page must go before its profile, or WebEngine keeps the profile alive and warns.
    m_view->setPage(nullptr);
    delete m_page;
}

void BrowserLoginWindow::showTrace(http::NetworkRecorder *recorder)
{
    if (m_trace)
        return;
    auto *pages = new PageTrace(recorder, this);
    connect(m_blocker, &RedirectRequestBlocker::pageRequested, pages, &PageTrace::requested);
    connect(m_page, &QWebEnginePage::loadingChanged, pages, &PageTrace::loadingChanged);
    connect(m_page, &LoginPage::redirectFollowed, pages, &PageTrace::redirected);
    connect(m_page, &LoginPage::redirectReached, pages, &PageTrace::reachedRedirectUri);
    m_trace = new TraceView(this);
    m_trace->follow(recorder);
    m_split->addWidget(m_trace);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 1);
    resize(width(), 900);
}

void BrowserLoginWindow::start()
{
    show();
    raise();
    activateWindow();
    m_page->load(m_authorizationUrl);
}

QWebEnginePage *BrowserLoginWindow::page() const
{
    return m_page;
}

QString BrowserLoginWindow::addressText() const
{
    return m_address->text();
}

bool BrowserLoginWindow::isSecure() const
{
    return m_page->url().scheme() == QLatin1String("https") && m_errorChain.isEmpty();
}

void BrowserLoginWindow::onUrlChanged(const QUrl &url)
{
    const QUrl shown = url.isEmpty() ? m_authorizationUrl : url;
    m_address->setText(shown.toString(QUrl::FullyEncoded));
    m_address->setCursorPosition(0);
    const bool secure = shown.scheme() == QLatin1String("https") && m_errorChain.isEmpty();
    m_padlock->setIcon(QIcon(secure ? QStringLiteral(":/icons/lock-closed.svg") : QStringLiteral(":/icons/lock-open.svg")));
    m_padlock->setToolTip(secure ? tr("Encrypted connection — show the certificate chain")
                                 : tr("Not a trusted encrypted connection — details"));
    m_back->setEnabled(m_view->history()->canGoBack());
}

void BrowserLoginWindow::onCertificateError(const QWebEngineCertificateError &error)
{
    // Never accepted: a login page with a bad certificate is exactly what an attacker would show.
    m_errorChain = error.certificateChain();
    m_errorText = error.description();
    QString reason = error.description();
    if (reason.endsWith(QLatin1Char('.')))
        reason.chop(1);
    m_problem->setText(tr("The certificate of %1 is not valid: %2. The page was not loaded.").arg(error.url().host(), reason));
    m_problem->show();
    onUrlChanged(error.url());
}

void BrowserLoginWindow::showCertificates()
{
    auto *dialog = new CertificateChainDialog(QUrl(m_address->text()), m_errorChain, m_errorText, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void BrowserLoginWindow::onCallback(const QUrl &url)
{
    if (m_finished)
        return;
    m_page->triggerAction(QWebEnginePage::Stop);
    Q_EMIT callbackReceived(url);
    finish();
}

void BrowserLoginWindow::finish()
{
    m_finished = true;
    hide();
}

void BrowserLoginWindow::closeEvent(QCloseEvent *event)
{
    if (!m_finished) {
        m_finished = true;
        Q_EMIT cancelled();
    }
    QWidget::closeEvent(event);
}

} // namespace portolan::gui
