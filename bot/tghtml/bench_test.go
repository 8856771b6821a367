package tghtml

import "testing"

// faqAnswer is a realistic FAQ answer of about 1,500 characters.
const faqAnswer = `## Cara membuat KTP-el baru

Warga yang sudah berumur **17 tahun** (atau < 17 tahun & sudah menikah) dapat mengajukan KTP-el di kantor kelurahan atau Dukcapil terdekat.

### Syarat

1. Fotokopi **Kartu Keluarga** yang masih berlaku.
2. Surat pengantar RT/RW.
3. Untuk pindahan:
   - Surat Keterangan Pindah (SKPWNI);
   - KTP lama, jika ada.

### Langkah

- Ambil nomor antrean melalui [situs Loket](https://loket.id/antrean?layanan=ktp&kota=bandung) atau ketik ` + "`/antrean`" + ` di bot ini.
- Datang sesuai jadwal, lalu lakukan perekaman sidik jari, iris mata, dan foto.
- Simpan _resi_ yang diberikan petugas; KTP-el biasanya selesai dalam **14 hari kerja**.

> Catatan: layanan ini ~~dikenakan biaya~~ **gratis**. Jangan percaya pihak yang meminta bayaran — laporkan ke <pengaduan@loket.id>.

| Hari | Jam layanan |
|---|---|
| Senin–Kamis | 08.00–15.00 |
| Jumat | 08.00–11.00 |

Kode formulir untuk permohonan daring:

` + "```text\nF-1.21 <Formulir Biodata>\n```" + `

### Jika KTP-el hilang atau rusak

Buat laporan kehilangan di kantor polisi terdekat, lalu bawa surat laporan tersebut beserta fotokopi KK ke Dukcapil. Untuk KTP-el yang rusak, cukup bawa KTP-el lama; petugas akan menggantinya tanpa perekaman ulang.  
Penggantian juga **gratis** dan biasanya selesai pada hari yang sama bila blangko tersedia.

Pertanyaan lain? Ketik **/tanya** lalu tulis pertanyaan Anda; petugas kami akan menjawab pada jam layanan.

Informasi lebih lanjut: <https://loket.id/faq/ktp>.
`

func BenchmarkRender(b *testing.B) {
	b.SetBytes(int64(len(faqAnswer)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(faqAnswer); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSplit(b *testing.B) {
	html, err := Render(longAnswer())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(html)))
	b.ReportAllocs()
	for b.Loop() {
		Split(html, MaxMessageLen)
	}
}
