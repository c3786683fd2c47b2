# Builds the hostile archives of ArchiveTests: each member is one attack a restore must refuse.
import tarfile, zipfile, io, os, sys, stat
out = sys.argv[1]
def add(t, name, data=b'', **kw):
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 1700000000; ti.mode = 0o644
    for k, v in kw.items(): setattr(ti, k, v)
    t.addfile(ti, io.BytesIO(data) if data else None)
with tarfile.open(os.path.join(out, 'hostile.tar'), 'w', format=tarfile.GNU_FORMAT) as t:
    add(t, 'ok.txt', b'fine')
    add(t, '../escape.txt', b'x')
    add(t, '/etc/abs.txt', b'x')
    add(t, 'C:/drive.txt', b'x')
    add(t, 'link', type=tarfile.SYMTYPE, linkname='/tmp')
    add(t, 'link/through.txt', b'x')
    add(t, 'hard', type=tarfile.LNKTYPE, linkname='/etc/passwd')
    add(t, 'ok.txt', b'dup')
    add(t, 'dev', type=tarfile.CHRTYPE, devmajor=1, devminor=3)
    add(t, 'fifo', type=tarfile.FIFOTYPE)
with zipfile.ZipFile(os.path.join(out, 'hostile.zip'), 'w') as z:
    z.writestr('ok.txt', 'fine')
    z.writestr('../escape.txt', 'x')
    z.writestr('/abs.txt', 'x')
    z.writestr('ok.txt', 'dup')
    zi = zipfile.ZipInfo('zlink'); zi.create_system = 3; zi.external_attr = (stat.S_IFLNK | 0o777) << 16
    z.writestr(zi, '/etc')
    z.writestr('zlink/through.txt', 'x')
