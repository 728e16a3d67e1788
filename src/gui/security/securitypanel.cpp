#include "securitypanel.h"
#include "themecolors.h"

#include "clientcore.h"
#include "schemesetupdialog.h"
#include "schemestatemodel.h"

#include "credentialstore.h"
#include "requestsigner.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLocale>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace portolan::gui {

SecurityPanel::SecurityPanel(client::ClientCore *core, QWidget *parent)
    : QWidget(parent), m_core(core), m_model(new SchemeStateModel(core->store(), this)),
      m_view(new QTableView(this)), m_setUp(new QPushButton(tr("Set up…"), this)),
      m_forget(new QPushButton(tr("Forget"), this)), m_credential(new QComboBox(this)), m_message(new QLabel(this))
{
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->horizontalHeader()->setSectionResizeMode(SchemeStateModel::SchemeColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(SchemeStateModel::TypeColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(SchemeStateModel::StateColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAccessibleName(tr("Security schemes"));
    m_setUp->setAccessibleName(tr("Set up the selected scheme"));
    m_forget->setAccessibleName(tr("Forget the selected scheme's credential"));
    m_credential->setAccessibleName(tr("Credential used for the selected scheme"));
    m_credential->setToolTip(tr("Several credentials are stored for this scheme: choose the one requests use."));
    m_credential->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_message, 1);
    buttons->addWidget(m_credential);
    buttons->addWidget(m_forget);
    buttons->addWidget(m_setUp);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    connect(m_setUp, &QPushButton::clicked, this, [this] { setUp(selectedScheme()); });
    connect(m_forget, &QPushButton::clicked, this, [this] { forget(selectedScheme()); });
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (const SecurityScheme *scheme = m_model->scheme(index.row()))
            setUp(scheme->name);
    });
    connect(m_credential, &QComboBox::activated, this, [this](int index) {
        const QString scheme = selectedScheme();
        const QString id = m_credential->itemData(index).toString();
        if (scheme.isEmpty() || m_chosen.value(scheme) == id)
            return;
        if (id.isEmpty())
            m_chosen.remove(scheme);
        else
            m_chosen.insert(scheme, id);
        Q_EMIT chosenCredentialsChanged();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &SecurityPanel::updateButtons);
    connect(m_core->store(), &auth::CredentialStore::changed, this, &SecurityPanel::updateButtons);
    showMessage(tr("Secrets you enter are kept in the system keychain only."), false);
    updateButtons();
}

void SecurityPanel::setDocument(std::shared_ptr<const ApiDocument> document)
{
    if (m_dialog)
        m_dialog->close();
    m_document = std::move(document);
    m_model->setDocument(m_document);
    if (m_model->rowCount() > 0)
        m_view->selectRow(0);
    updateButtons();
}

QString SecurityPanel::selectedScheme() const
{
    const SecurityScheme *scheme = m_model->scheme(m_view->currentIndex().row());
    return scheme ? scheme->name : QString();
}

void SecurityPanel::updateButtons()
{
    const int row = m_view->currentIndex().row();
    m_setUp->setEnabled(m_model->scheme(row) != nullptr);
    m_forget->setEnabled(m_model->scheme(row) && m_model->state(row) != SchemeStateModel::State::NoCredential);
    updateCredentialChoice();
}

void SecurityPanel::setChosenCredentials(const QHash<QString, QString> &chosen)
{
    m_chosen = chosen;
    updateCredentialChoice();
}

void SecurityPanel::updateCredentialChoice()
{
    m_credential->clear();
    m_credential->hide();
    if (!m_document)
        return;
    const QString api = auth::apiIdentity(*m_document);
    bool dropped = false;
    for (auto it = m_chosen.begin(); it != m_chosen.end();) {
        bool stored = false;
        for (const auth::CredentialInfo &info : m_core->store()->forScheme(api, it.key()))
            stored = stored || info.id == it.value();
        if (stored) {
            ++it;
        } else {
            it = m_chosen.erase(it);
            dropped = true;
        }
    }
    const QString scheme = selectedScheme();
    const QList<auth::CredentialInfo> stored = scheme.isEmpty() ? QList<auth::CredentialInfo>()
                                                                : m_core->store()->forScheme(api, scheme);
    if (stored.size() > 1) {
        // Empty = the client core's rule: the freshest credential that is valid or can be refreshed.
        m_credential->addItem(tr("Freshest usable (default)"), QString());
        for (const auth::CredentialInfo &info : stored) {
            QString name = !info.label.isEmpty() ? info.label : !info.subject.isEmpty() ? info.subject : info.username;
            if (name.isEmpty())
                name = tr("Credential %1").arg(info.id.left(8));
            m_credential->addItem(tr("%1 — stored %2").arg(name, QLocale().toString(info.created.toLocalTime(),
                                                                                       QLocale::ShortFormat)),
                                  info.id);
        }
        m_credential->setCurrentIndex(qMax(0, m_credential->findData(m_chosen.value(scheme))));
        m_credential->show();
    }
    if (dropped)
        Q_EMIT chosenCredentialsChanged();
}

void SecurityPanel::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    QPalette palette = this->palette();
    palette.setColor(QPalette::WindowText, toneText(error ? Tone::Error : Tone::Muted, palette));
    m_message->setPalette(palette);
}

SchemeSetupDialog *SecurityPanel::setUp(const QString &schemeName)
{
    const int row = m_model->rowOf(schemeName);
    if (!m_document || row < 0)
        return nullptr;
    m_view->selectRow(row);
    if (m_dialog)
        m_dialog->close();
    m_dialog = new SchemeSetupDialog(m_core, m_document, *m_model->scheme(row), this);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &SchemeSetupDialog::setupFinished, this, [this, schemeName](bool ok, const QString &message) {
        if (ok) {
            showMessage(tr("%1: %2").arg(schemeName, message), false);
            Q_EMIT credentialsChanged();
        }
    });
    m_dialog->show();
    return m_dialog;
}

void SecurityPanel::forget(const QString &schemeName)
{
    if (!m_document)
        return;
    const QList<auth::CredentialInfo> stored = m_core->store()->forScheme(auth::apiIdentity(*m_document), schemeName);
    for (const auth::CredentialInfo &info : stored) {
        QPointer<SecurityPanel> self(this);
        m_core->store()->remove(info.id, [self, schemeName](const auth::StoreResult &result) {
            if (!self)
                return;
            self->showMessage(result.ok ? tr("%1: credential removed from the keychain.").arg(schemeName) : result.error,
                              !result.ok);
            Q_EMIT self->credentialsChanged();
        });
    }
}

} // namespace portolan::gui
