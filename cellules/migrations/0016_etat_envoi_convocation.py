"""Delivery state of the last e-mail announced to each convened member."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cellules', '0015_decisions_responsables_presences_excusees'),
    ]

    operations = [
        migrations.AddField(
            model_name='convocation',
            name='etat_envoi',
            field=models.CharField(blank=True, choices=[('en_attente', "en attente d'envoi"), ('envoye', 'envoyé'), ('echec', 'échec'), ('sans_objet', 'sans objet (convocation retirée, membre inactif ou séance changée)')], max_length=20, verbose_name='état du dernier envoi'),
        ),
        migrations.AddField(
            model_name='convocation',
            name='etat_envoi_le',
            field=models.DateTimeField(blank=True, null=True, verbose_name="état de l'envoi au"),
        ),
        migrations.AddField(
            model_name='convocation',
            name='motif_echec',
            field=models.CharField(blank=True, choices=[('aucune_adresse', 'aucune adresse'), ('adresse_refusee', 'adresse refusée par le serveur de messagerie'), ('serveur_injoignable', 'serveur de messagerie injoignable')], max_length=30, verbose_name="motif de l'échec"),
        ),
        migrations.AddField(
            model_name='convocation',
            name='nature_envoi',
            field=models.CharField(blank=True, choices=[('convocation', 'convocation'), ('rappel', 'rappel'), ('modification', 'modification'), ('annulation', 'annulation')], max_length=20, verbose_name='nature du dernier envoi'),
        ),
    ]
