"""The columns every uploaded attachment of a draft carries (a school's 发展规划, a self-evaluation):
what it was called, where it is stored outside the web root, its type as sniffed, size and SHA-256,
who uploaded it, and when it left the draft (a submitted version keeps listing it)."""

from django.db import models


class AttachedFile(models.Model):
    original_name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField(max_length=80, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("orgs.User", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
