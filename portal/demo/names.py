"""Word lists for fictional but plausible demo data."""

FIRST_NAMES = (
    "Camille", "Nadia", "Julien", "Sophie", "Karim", "Élodie", "Thomas", "Fatou", "Nicolas",
    "Claire", "Mehdi", "Laure", "Antoine", "Inès", "Pierre", "Aurélie", "Yann", "Manon",
    "Olivier", "Sarah", "Rémi", "Léa", "Hugo", "Aïcha", "Vincent", "Marion", "Bastien",
    "Chloé", "Samir", "Pauline", "Loïc", "Anaïs", "Mathieu", "Émilie", "Guillaume", "Lina",
)
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guerin", "Muller",
    "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Diallo",
)
STREETS = (
    "rue de la République", "avenue Jean-Jaurès", "place de la Mairie", "rue Victor-Hugo",
    "boulevard Gambetta", "rue Pasteur", "rue du Général-de-Gaulle", "avenue de la Gare",
    "rue Jules-Ferry", "quai des Entrepreneurs", "rue de l'Hôtel-de-Ville", "allée des Tilleuls",
    "rue Émile-Zola", "avenue des Métiers", "rue Carnot", "place du Marché",
)
PARTNERS = (
    "Maison de l'emploi", "Espace France Services", "Médiathèque", "Maison des associations",
    "Pôle d'activités", "Mairie annexe",
)
