#include "tokenmanagerview.h"

#include "tokenlistmodel.h"
#include "themecolors.h"

#include "jsonhighlighter.h"
#include "traceview.h"

#include "clientcore.h"
#include "credentialtraces.h"
#include "tracedauth.h"

#include "credentialstore.h"
#include "networkrecorder.h"
#include "oidc.h"
#include "tokenmanager.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace portolan::gui {

namespace {
QString indented(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)).trimmed();
}
} // namespace

TokenManagerView::TokenManagerView(client::ClientCore *core, QWidget *parent)
    : QWidget(parent), m_core(core), m_model(new TokenListModel(core->store(), this)),
      m_view(new QTableView(this)), m_token(new QComboBox(this)), m_decode(new QPushButton(tr("Decode"), this)),
      m_refresh(new QPushButton(tr("Refresh"), this)), m_revoke(new QPushButton(tr("Revoke"), this)),
      m_introspect(new QPushButton(tr("Introspect"), this)), m_userinfo(new QPushButton(tr("User info"), this)), m_copy(new QPushButton(tr("Copy"), this)),
      m_delete(new QPushButton(tr("Delete"), this)), m_trace(new QPushButton(tr("Trace…"), this)), m_status(new QLabel(this)), m_details(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Tokens and credentials"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setSortingEnabled(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(TokenListModel::Scopes, QHeaderView::Stretch);
    m_view->setAccessibleName(tr("Stored credentials"));

    m_token->addItem(tr("ID token"), QString::fromLatin1(auth::secret::IdToken));
    m_token->addItem(tr("Access token"), QString::fromLatin1(auth::secret::AccessToken));
    m_token->addItem(tr("Refresh token"), QString::fromLatin1(auth::secret::RefreshToken));
    m_token->setAccessibleName(tr("Which token"));
    m_decode->setToolTip(tr("Show the JWT's header and claims, and check its signature against the issuer's keys"));
    m_copy->setToolTip(tr("Copy the chosen token to the clipboard"));
    m_revoke->setToolTip(tr("Revoke at the provider (RFC 7009) and forget the tokens"));
    m_delete->setToolTip(tr("Remove the credential and its keychain entry"));
    m_userinfo->setToolTip(tr("The provider's claims about the user (OpenID Connect userinfo)"));
    m_trace->setToolTip(tr("The requests of this credential's last login, refresh, revocation or introspection "
                           "in this session, secrets redacted"));

    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setPlaceholderText(tr("Decoded tokens and introspection results appear here."));
    m_details->setAccessibleName(tr("Token details"));
    new JsonHighlighter(m_details->document());
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setAccessibleName(tr("Token manager status"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_token);
    buttons->addWidget(m_decode);
    buttons->addWidget(m_copy);
    buttons->addSpacing(12);
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_introspect);
    buttons->addWidget(m_userinfo);
    buttons->addWidget(m_revoke);
    buttons->addWidget(m_trace);
    buttons->addStretch(1);
    buttons->addWidget(m_delete);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_details);
    split->setSizes({220, 320});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_status);

    connect(m_decode, &QPushButton::clicked, this, &TokenManagerView::decode);
    connect(m_refresh, &QPushButton::clicked, this, &TokenManagerView::refresh);
    connect(m_revoke, &QPushButton::clicked, this, &TokenManagerView::revoke);
    connect(m_introspect, &QPushButton::clicked, this, &TokenManagerView::introspect);
    connect(m_userinfo, &QPushButton::clicked, this, &TokenManagerView::showUserinfo);
    connect(m_copy, &QPushButton::clicked, this, &TokenManagerView::copyToken);
    connect(m_delete, &QPushButton::clicked, this, &TokenManagerView::remove);
    connect(m_trace, &QPushButton::clicked, this, &TokenManagerView::showTrace);
    connect(core->traces(), &client::CredentialTraces::kept, this, &TokenManagerView::updateButtons);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TokenManagerView::updateButtons);
    // The list reloads whenever the store changes (a background refresh too): the selection stays.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_selectedBeforeReset = selectedId(); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        select(m_selectedBeforeReset);
        updateButtons();
    });
    updateButtons();
}

QString TokenManagerView::selectedId() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_model->credential(rows.first().row()).id;
}

void TokenManagerView::select(const QString &credentialId)
{
    const int row = m_model->rowOf(credentialId);
    if (row >= 0)
        m_view->selectRow(row);
}

void TokenManagerView::updateButtons()
{
    const auth::CredentialInfo info = m_core->store()->info(selectedId());
    const bool any = !info.id.isEmpty();
    const bool oauth = any && info.kind == auth::CredentialKind::OAuth2;
    m_decode->setEnabled(oauth);
    m_token->setEnabled(oauth);
    m_refresh->setEnabled(oauth && info.hasRefreshToken);
    m_revoke->setEnabled(oauth && !info.revocationUrl.isEmpty());
    m_introspect->setEnabled(oauth && !info.introspectionUrl.isEmpty());
    m_userinfo->setEnabled(oauth && !info.userinfoUrl.isEmpty());
    m_copy->setEnabled(any);
    m_delete->setEnabled(any);
    m_trace->setEnabled(any && !m_core->traces()->last(info.id).exchanges.isEmpty());
}

client::TracedAuth *TokenManagerView::newTracedAuth()
{
    return new client::TracedAuth(m_core->store(), this);
}

void TokenManagerView::keepTrace(const QString &id, const QString &action, client::TracedAuth *traced)
{
    m_core->traces()->keep(id, action, traced->recorder()->exchanges());
    traced->deleteLater();
}

QDialog *TokenManagerView::showTrace()
{
    const auth::CredentialInfo info = m_core->store()->info(selectedId());
    const client::CredentialTraces::Trace trace = m_core->traces()->last(info.id);
    if (trace.exchanges.isEmpty())
        return nullptr;
    return openTraceWindow(tr("%1 of %2 at %3").arg(trace.action, info.label.isEmpty() ? info.id : info.label,
                                                    trace.at.toLocalTime().toString(Qt::ISODate)),
                           trace.exchanges, this);
}

QString TokenManagerView::tokenSecretName() const
{
    return m_token->currentData().toString();
}

void TokenManagerView::finish(const QString &action, bool ok, const QString &message)
{
    m_status->setText(message);
    QPalette palette = this->palette();
    if (!ok)
        palette.setColor(QPalette::WindowText, toneText(Tone::Error, palette));
    m_status->setPalette(palette);
    updateButtons();
    Q_EMIT actionFinished(action, ok);
}

void TokenManagerView::decode()
{
    const auth::CredentialInfo info = m_core->store()->info(selectedId());
    if (info.id.isEmpty())
        return;
    const QString which = tokenSecretName();
    QPointer<TokenManagerView> self(this);
    m_core->store()->readSecrets(info.id, [self, info, which](const auth::SecretsResult &secrets) {
        if (!self)
            return;
        if (!secrets.ok) {
            self->finish(QStringLiteral("decode"), false, secrets.error);
            return;
        }
        const QByteArray token = secrets.secrets.value(which);
        if (token.isEmpty()) {
            self->finish(QStringLiteral("decode"), false, tr("No %1 is stored for this credential.").arg(which));
            return;
        }
        const auto show = [self, which](const auth::JwtInspection &jwt, const QString &keysNote) {
            if (!self)
                return;
            if (!jwt.wellFormed) {
                self->m_details->setPlainText(tr("Not a JWT (%1): an opaque token only the issuer can read; try Introspect.")
                                                  .arg(jwt.error));
                self->finish(QStringLiteral("decode"), false, tr("The %1 is not a JWT.").arg(which));
                return;
            }
            QString text = QStringLiteral("// header\n%1\n\n// payload\n%2\n\n// signature: %3")
                               .arg(indented(jwt.header), indented(jwt.claims), jwt.signatureStatus);
            if (!keysNote.isEmpty())
                text += QStringLiteral("\n// ") + keysNote;
            // NumericDate claims, readable.
            for (const char *claim : {"iat", "nbf", "auth_time", "exp"}) {
                const QJsonValue value = jwt.claims.value(QLatin1String(claim));
                if (value.isDouble())
                    text += QStringLiteral("\n// %1: %2").arg(QLatin1String(claim),
                        QDateTime::fromSecsSinceEpoch(qint64(value.toDouble())).toLocalTime().toString(Qt::ISODate));
            }
            self->m_details->setPlainText(text);
            self->finish(QStringLiteral("decode"), true, tr("Signature: %1").arg(jwt.signatureStatus));
        };
        if (info.jwksUrl.isEmpty()) {
            show(auth::inspectJwt(token), tr("no JWKS known for this issuer"));
            return;
        }
        self->m_core->discovery()->fetchJwks(QUrl(info.jwksUrl), false,
                                                 [token, show](const QJsonArray &keys, const QString &error) {
                                                     show(auth::inspectJwt(token, keys),
                                                          error.isEmpty() ? QString() : tr("JWKS: %1").arg(error));
                                                 });
    });
}

void TokenManagerView::refresh()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    m_status->setText(tr("Refreshing…"));
    QPointer<TokenManagerView> self(this);
    // The core's refresh: traced for the credential, and shared with one the request signer may be making.
    m_core->tokens()->refresh(id, [self, id](bool ok, const QString &error) {
        if (!self)
            return;
        self->select(id);
        self->finish(QStringLiteral("refresh"), ok, ok ? tr("Refreshed; new tokens are in the keychain.") : error);
    });
}

void TokenManagerView::revoke()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    m_status->setText(tr("Revoking…"));
    QPointer<TokenManagerView> self(this);
    client::TracedAuth *traced = newTracedAuth();
    traced->tokens()->revoke(id, [self, id, traced](bool ok, const QString &error) {
        if (!self)
            return;
        self->keepTrace(id, QStringLiteral("revoke"), traced);
        self->select(id);
        self->finish(QStringLiteral("revoke"), ok, ok ? tr("Revoked at the provider; the tokens are forgotten.") : error);
    });
}

void TokenManagerView::introspect()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    const QString hint = tokenSecretName() == QLatin1String(auth::secret::RefreshToken) ? QStringLiteral("refresh_token")
                                                                                          : QStringLiteral("access_token");
    QPointer<TokenManagerView> self(this);
    client::TracedAuth *traced = newTracedAuth();
    traced->tokens()->introspect(id, hint, [self, id, traced](const QJsonObject &response, const QString &error) {
        if (!self)
            return;
        self->keepTrace(id, QStringLiteral("introspect"), traced);
        if (!error.isEmpty()) {
            self->finish(QStringLiteral("introspect"), false, error);
            return;
        }
        self->m_details->setPlainText(QStringLiteral("// introspection (RFC 7662)\n") + indented(response));
        const bool active = response.value(QLatin1String("active")).toBool();
        self->finish(QStringLiteral("introspect"), true, active ? tr("The token is active.") : tr("The token is not active."));
    });
}

void TokenManagerView::showUserinfo()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    QPointer<TokenManagerView> self(this);
    auto show = [self](const QJsonObject &claims, const QString &source) {
        self->m_details->setPlainText(QStringLiteral("// userinfo, %1\n").arg(source) + indented(claims));
        self->finish(QStringLiteral("userinfo"), true, tr("Claims for subject %1.").arg(claims.value(QLatin1String("sub")).toString()));
    };
    m_core->store()->readSecrets(id, [self, id, show](const auth::SecretsResult &secrets) {
        if (!self)
            return;
        const QByteArray kept = secrets.secrets.value(QLatin1String(auth::secret::Userinfo));
        if (!kept.isEmpty()) {
            show(QJsonDocument::fromJson(kept).object(), QStringLiteral("fetched at login"));
            return;
        }
        client::TracedAuth *traced = self->newTracedAuth();
        traced->tokens()->userinfo(id, [self, id, show, traced](const QJsonObject &claims, const QString &error) {
            if (!self)
                return;
            self->keepTrace(id, QStringLiteral("userinfo"), traced);
            if (!error.isEmpty())
                self->finish(QStringLiteral("userinfo"), false, error);
            else
                show(claims, QStringLiteral("fetched now"));
        });
    });
}

void TokenManagerView::copyToken()
{
    const auth::CredentialInfo info = m_core->store()->info(selectedId());
    if (info.id.isEmpty())
        return;
    const QString which = info.kind == auth::CredentialKind::OAuth2 ? tokenSecretName() : QString();
    QPointer<TokenManagerView> self(this);
    m_core->store()->readSecrets(info.id, [self, which](const auth::SecretsResult &secrets) {
        if (!self)
            return;
        if (!secrets.ok) {
            self->finish(QStringLiteral("copy"), false, secrets.error);
            return;
        }
        // Simple credentials hold one secret: the key, password or token.
        const QByteArray value = which.isEmpty() ? (secrets.secrets.isEmpty() ? QByteArray() : secrets.secrets.first())
                                                 : secrets.secrets.value(which);
        if (value.isEmpty()) {
            self->finish(QStringLiteral("copy"), false, tr("Nothing to copy: no such secret is stored."));
            return;
        }
        QApplication::clipboard()->setText(QString::fromUtf8(value));
        self->finish(QStringLiteral("copy"), true, tr("Copied to the clipboard."));
    });
}

void TokenManagerView::remove()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    QPointer<TokenManagerView> self(this);
    m_core->store()->remove(id, [self](const auth::StoreResult &result) {
        if (!self)
            return;
        self->m_details->clear();
        self->finish(QStringLiteral("delete"), result.ok,
                     result.ok ? tr("Deleted, with its keychain entry.") : result.error);
    });
}

} // namespace portolan::gui
