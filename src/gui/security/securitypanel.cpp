#include "securitypanel.h"

#include "authservices.h"
#include "schemesetupdialog.h"
#include "schemestatemodel.h"

#include "credentialstore.h"
#include "requestsigner.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace portolan::gui {

SecurityPanel::SecurityPanel(AuthServices *services, QWidget *parent)
    : QWidget(parent), m_services(services), m_model(new SchemeStateModel(services->store(), this)),
      m_view(new QTableView(this)), m_setUp(new QPushButton(tr("Set up…"), this)),
      m_forget(new QPushButton(tr("Forget"), this)), m_message(new QLabel(this))
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
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_message, 1);
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
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &SecurityPanel::updateButtons);
    connect(m_services->store(), &auth::CredentialStore::changed, this, &SecurityPanel::updateButtons);
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
}

void SecurityPanel::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QStringLiteral("color: gray;"));
}

SchemeSetupDialog *SecurityPanel::setUp(const QString &schemeName)
{
    const int row = m_model->rowOf(schemeName);
    if (!m_document || row < 0)
        return nullptr;
    m_view->selectRow(row);
    if (m_dialog)
        m_dialog->close();
    m_dialog = new SchemeSetupDialog(m_services, m_document, *m_model->scheme(row), this);
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
    const QList<auth::CredentialInfo> stored = m_services->store()->forScheme(auth::apiIdentity(*m_document), schemeName);
    for (const auth::CredentialInfo &info : stored) {
        QPointer<SecurityPanel> self(this);
        m_services->store()->remove(info.id, [self, schemeName](const auth::StoreResult &result) {
            if (!self)
                return;
            self->showMessage(result.ok ? tr("%1: credential removed from the keychain.").arg(schemeName) : result.error,
                              !result.ok);
            Q_EMIT self->credentialsChanged();
        });
    }
}

} // namespace portolan::gui
