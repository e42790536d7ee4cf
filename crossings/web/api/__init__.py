"""The JSON API (django-ninja): everything the web forms do, for machines too."""
