from django.core.management.base import BaseCommand

from portal.reports.signing import ensure_key, key_path


class Command(BaseCommand):
    help = "生成签署 PDF 所用的平台密钥和证书（已存在则不变）。"

    def handle(self, *args, **options):
        existed = key_path().exists()
        path = ensure_key()
        self.stdout.write(f"签名密钥{'已存在' if existed else '已生成'}：{path}")
