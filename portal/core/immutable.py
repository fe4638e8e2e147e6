"""A record written once and never changed or deleted: a submitted version whose SHA-256 a printed or
exported copy is checked against (an application's, a school's 发展规划's)."""


class Immutable:
    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(f"{type(self).__name__} is immutable once written")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{type(self).__name__} is immutable once written")
