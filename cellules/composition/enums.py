"""Closed lists of the cells (CNIL: closed lists rather than free text)."""

from django.db import models


class TypeCellule(models.TextChoices):
    SUIVI_PERSONNALISE = "suivi_personnalise", "cellule de suivi personnalisé"
    COMMISSION_RESTREINTE = "commission_restreinte", "commission restreinte opérationnelle"
    GROUPE_OPERATIONNEL = "groupe_operationnel", "groupe opérationnel"
    AUTRE = "autre", "autre"
